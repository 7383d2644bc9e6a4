package io.github.tpns4j.examples.spark;

import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * One partition of the migration: its rows through one {@code bulkOperate} on the executor's shared
 * client. Gives back one outcome row per input row that was not bound: {@code rejected} (malformed,
 * with the reason), {@code refused} (TPNS's per-item code, or the {@code ret_code} of a call that
 * failed as a whole, or {@code NO_ANSWER}), {@code never_sent} (the partition stopped, with the
 * cause). Bound rows are counted, not written. Rows never sent are produced lazily from the rest of
 * the partition, so a stopped partition of millions of rows needs no memory for them.
 */
final class PartitionMigration implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String REJECTED = "rejected";
  static final String REFUSED = "refused";
  static final String NEVER_SENT = "never_sent";

  private final MigrationSettings settings;
  private final Counters counters;

  /** The job's accumulators. */
  static final class Counters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final LongAccumulator rows;
    final LongAccumulator bound;
    final LongAccumulator refused;
    final LongAccumulator rejected;
    final LongAccumulator neverSent;
    final CollectionAccumulator<String> stops;

    Counters(
        LongAccumulator rows,
        LongAccumulator bound,
        LongAccumulator refused,
        LongAccumulator rejected,
        LongAccumulator neverSent,
        CollectionAccumulator<String> stops) {
      this.rows = rows;
      this.bound = bound;
      this.refused = refused;
      this.rejected = rejected;
      this.neverSent = neverSent;
      this.stops = stops;
    }
  }

  PartitionMigration(MigrationSettings settings, Counters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    TpnsClient client = ExecutorClients.get(settings);
    List<Row> outcomes = new ArrayList<>();
    Items items = new Items(input, outcomes);
    BulkResult result;
    TpnsBulkStoppedException stop = null;
    try {
      result =
          client.bulkOperate(
              settings.operation.request(() -> items).concurrency(settings.callsPerTask));
    } catch (TpnsBulkStoppedException e) {
      stop = e;
      result = e.partialResult();
    }
    counters.bound.add(result.itemsSucceeded());
    List<ItemResult> failures = result.failures();
    int i = 0;
    for (Object item : result.retryFailed().input()) {
      String code = failures.get(i++).code();
      outcomes.add(outcome(item, REFUSED, code == null ? "NO_ANSWER" : code));
    }
    counters.refused.add(failures.size());
    if (stop == null) {
      return outcomes.iterator();
    }
    String cause = String.valueOf(stop.getCause());
    counters.stops.add(cause);
    // Everything from the stop on: valid rows as never_sent, malformed ones still as rejected.
    Iterator<Row> rest = items.rest("stopped: " + cause);
    Iterator<Row> done = outcomes.iterator();
    return new Iterator<Row>() {
      @Override
      public boolean hasNext() {
        return done.hasNext() || rest.hasNext();
      }

      @Override
      public Row next() {
        return done.hasNext() ? done.next() : rest.next();
      }
    };
  }

  /** The partition's rows as bulk items; malformed rows go to the outcomes as they are met. */
  private final class Items implements Iterator<Object> {
    private final Iterator<Row> rows;
    private final List<Row> outcomes;
    private Object next;

    Items(Iterator<Row> rows, List<Row> outcomes) {
      this.rows = rows;
      this.outcomes = outcomes;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        Row row = rows.next();
        counters.rows.add(1);
        Object parsed = parse(row);
        if (parsed instanceof Row) {
          counters.rejected.add(1);
          outcomes.add((Row) parsed);
        } else {
          next = parsed;
        }
      }
      return next != null;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object item = next;
      next = null;
      return item;
    }

    /** The rows not read yet (and an item read ahead), as outcomes, produced lazily. */
    Iterator<Row> rest(String cause) {
      Object pending = next;
      next = null;
      return new Iterator<Row>() {
        Object ahead = pending;

        @Override
        public boolean hasNext() {
          return ahead != null || rows.hasNext();
        }

        @Override
        public Row next() {
          if (ahead != null) {
            Object item = ahead;
            ahead = null;
            counters.neverSent.add(1);
            return outcome(item, NEVER_SENT, cause);
          }
          Row row = rows.next();
          counters.rows.add(1);
          Object parsed = parse(row);
          if (parsed instanceof Row) {
            counters.rejected.add(1);
            return (Row) parsed;
          }
          counters.neverSent.add(1);
          return outcome(parsed, NEVER_SENT, cause);
        }
      };
    }
  }

  /** The row as a bulk item, or its {@code rejected} outcome row. */
  private Object parse(Row row) {
    String token = row.getString(0);
    String account = row.getString(1);
    String type = row.getString(2);
    Operation op = settings.operation;
    try {
      Account a = null;
      if (op.needsAccount) {
        if (type == null || type.isBlank()) {
          a = Account.of(account == null ? null : account.trim());
        } else {
          int t;
          try {
            t = Integer.parseInt(type.trim());
          } catch (NumberFormatException e) {
            return RowFactory.create(
                token,
                account,
                type,
                REJECTED,
                "account_type \"" + type + "\" is not a whole number");
          }
          a = Account.of(account == null ? null : account.trim(), t);
        }
      }
      if (op.needsToken) {
        if (token == null) {
          return RowFactory.create(token, account, type, REJECTED, "token is missing");
        }
        if (!op.needsAccount) {
          // A bare token is only checked when a request is made of it. Check it here with the
          // SDK's own rules: inside the bulk run, an invalid item would stop the whole partition.
          io.github.tpns4j.account.BatchOperateRequest.deleteAllForTokens(token.trim());
        }
      }
      return op.item(token == null ? null : token.trim(), a);
    } catch (TpnsValidationException e) {
      return RowFactory.create(token, account, type, REJECTED, e.getMessage());
    }
  }

  private static Row outcome(Object item, String outcome, String detail) {
    if (item instanceof TokenAccounts) {
      TokenAccounts ta = (TokenAccounts) item;
      Account a = ta.accounts().get(0);
      return RowFactory.create(ta.token(), a.account(), typeText(a), outcome, detail);
    }
    if (item instanceof Account) {
      Account a = (Account) item;
      return RowFactory.create(null, a.account(), typeText(a), outcome, detail);
    }
    return RowFactory.create((String) item, null, null, outcome, detail);
  }

  private static String typeText(Account a) {
    return a.accountType() == null ? null : a.accountType().toString();
  }
}
