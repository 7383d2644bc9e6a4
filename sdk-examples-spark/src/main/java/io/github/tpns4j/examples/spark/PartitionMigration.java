package io.github.tpns4j.examples.spark;

import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.cli.Refusals;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;

/**
 * One partition of the migration, on the executor's shared client. Its rows come sorted by key
 * (token, then account type) and, within a key, the latest input row first ({@link
 * MigrateMode#ordered}); every row of a key is in this partition. Gives back one outcome row per
 * input row that was not bound:
 *
 * <ul>
 *   <li>{@code superseded} (overwrite only): a later row of the input binds the same token and
 *       account type, and TPNS keeps one account per type per token, so only the last row is sent;
 *   <li>{@code refused}: TPNS's per-item code (or a call's {@code ret_code}) that fails again until
 *       something is fixed, such as {@code 1008006};
 *   <li>{@code failed}: worth sending again unchanged (no answer, {@code 1008004}, {@code
 *       1008028});
 *   <li>{@code never_sent}: the partition stopped before sending it, with the cause.
 * </ul>
 *
 * <p>Each key is sent at most once, so the order in which calls complete, and a task that Spark
 * runs again, cannot change the final bindings. The partition runs in slices of {@link
 * #ITEMS_PER_CALL_IN_FLIGHT} items per call in flight, and outcomes are produced as the slices go:
 * memory stays in proportion to the calls in flight, not to the partition's rows.
 */
final class PartitionMigration implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Written by the job from the input's rejected rows ({@link Outputs#writeRejected}). */
  static final String REJECTED = "rejected";

  static final String SUPERSEDED = "superseded";
  static final String REFUSED = "refused";
  static final String FAILED = "failed";
  static final String NEVER_SENT = "never_sent";

  /** A slice holds this many items per call in flight (50 calls' worth each). */
  static final int ITEMS_PER_CALL_IN_FLIGHT = 1_000;

  /** Tests only: runs after each slice's bulk run, in the task (throw to fail the task there). */
  static volatile Runnable afterSlice = () -> {};

  private final MigrationSettings settings;
  private final CollectionAccumulator<String> stops;

  PartitionMigration(MigrationSettings settings, CollectionAccumulator<String> stops) {
    this.settings = settings;
    this.stops = stops;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Outcomes(new Keyed(input), ExecutorClients.get(settings));
  }

  /**
   * The rows, each told whether it is superseded (overwrite only): rows come sorted by key with the
   * latest input row first, so the first row of a key is the one to send, and every later row of
   * that key is superseded by it.
   */
  private final class Keyed {
    private final Iterator<Row> rows;
    private String lastToken;
    private int lastType;
    private boolean winnerSeen;

    Keyed(Iterator<Row> rows) {
      this.rows = rows;
    }

    boolean hasNext() {
      return rows.hasNext();
    }

    /** The next row as an item, or its superseded outcome row. */
    Object next() {
      Row row = rows.next();
      Object item = item(row);
      if (settings.operation != Operation.OVERWRITE) {
        return item;
      }
      String token = row.getString(0);
      int type = row.isNullAt(2) ? 0 : row.getInt(2); // the type as TPNS sees it: none is 0
      if (!token.equals(lastToken) || type != lastType) {
        lastToken = token;
        lastType = type;
        winnerSeen = false;
      }
      if (!winnerSeen) {
        winnerSeen = true;
        return item;
      }
      return outcome(
          item,
          SUPERSEDED,
          "a later row of the input binds the same token and account_type; TPNS keeps one"
              + " account per type per token, so that row is the one sent");
    }
  }

  /** The partition's outcome rows, produced slice by slice. */
  private final class Outcomes implements Iterator<Row> {
    private final Keyed rows;
    private final TpnsClient client;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final int sliceItems;
    private String stopCause; // set once the partition stopped

    Outcomes(Keyed rows, TpnsClient client) {
      this.rows = rows;
      this.client = client;
      this.sliceItems = ITEMS_PER_CALL_IN_FLIGHT * settings.callsPerTask;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && rows.hasNext()) {
        if (stopCause != null) {
          Object parsed = rows.next();
          ready.add(parsed instanceof Row ? (Row) parsed : outcome(parsed, NEVER_SENT, stopCause));
        } else {
          slice();
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** One slice through one bulk run; its outcomes go to {@link #ready}. */
    private void slice() {
      SliceItems items = new SliceItems();
      BulkResult result;
      try {
        result =
            client.bulkOperate(
                settings.operation.request(() -> items).concurrency(settings.callsPerTask));
      } catch (TpnsBulkStoppedException e) {
        result = e.partialResult();
        stopCause = String.valueOf(e.getCause());
        stops.add(Stops.entry(stopCause));
      }
      afterSlice.run();
      Iterator<?> failed = result.retryFailed().input().iterator();
      for (ItemResult f : result.failures()) {
        Object item = failed.next();
        String code = f.code() == null ? "NO_ANSWER" : f.code();
        // refused only for what fails again unchanged, as tpns4j import files it
        ready.add(outcome(item, Refusals.isRefusedForGood(f.code()) ? REFUSED : FAILED, code));
      }
      // After a stop, the slice's items read but not sent are in the failures above (no code);
      // an item read ahead and not taken is never sent, and so is the rest of the partition,
      // produced lazily in hasNext().
      if (stopCause != null && items.next != null) {
        ready.add(outcome(items.next, NEVER_SENT, stopCause));
      }
    }

    /** The items of one slice: at most {@code sliceItems}, superseded rows set aside as met. */
    private final class SliceItems implements Iterator<Object> {
      Object next; // read ahead, not taken yet
      private int taken;

      @Override
      public boolean hasNext() {
        while (next == null && taken < sliceItems && rows.hasNext()) {
          Object parsed = rows.next();
          if (parsed instanceof Row) {
            ready.add((Row) parsed); // superseded: never sent
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
        taken++;
        return item;
      }
    }
  }

  /**
   * The row as a bulk item. Rows were judged by {@link io.github.tpns4j.cli.csv.RowRules} and the
   * SDK's factories when read ({@link InputRows}): only valid ones come here.
   */
  private Object item(Row row) {
    String token = row.getString(0);
    Account a = null;
    if (!row.isNullAt(1)) {
      a =
          row.isNullAt(2)
              ? Account.of(row.getString(1))
              : Account.of(row.getString(1), row.getInt(2));
    }
    return settings.operation.item(token, a);
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
