package io.github.tpns4j.examples.spark;

import io.github.tpns4j.TpnsBulkQueryStoppedException;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountDiff;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;

/**
 * One partition of an {@code export} or a {@code reconcile}, on the executor's shared client: keys
 * go through {@code bulkQuery} in slices of {@link PartitionMigration#ITEMS_PER_CALL_IN_FLIGHT} per
 * call in flight, and outcome rows ({@code token, account, account_type, outcome, detail}) come out
 * slice by slice, so memory follows the calls in flight, not the partition.
 *
 * <p>Input rows: for accounts, {@code account, type (int, null when not a number), raw type,
 * tokens, conflicts} (the tokens also wanted for another account of the type), one row per account
 * and type (the job groups them; {@code tokens} are the wanted ones, used by {@code reconcile});
 * for tokens, {@code token}, one row per token. Outcomes:
 *
 * <ul>
 *   <li>export: {@code binding} (one row per binding found), {@code no_binding} (a key TPNS holds
 *       nothing for), {@code unanswered} (the key, with the code or why; worth asking again),
 *       {@code held_back} (not a valid key);
 *   <li>reconcile: {@code to_bind} and {@code to_unbind} (the plan, with the reason), {@code
 *       unplanned} (the wanted rows of an account TPNS could not be asked about, worth planning
 *       again), {@code held_back} (a token wanted for two accounts of one type, and the other
 *       wanted rows of those accounts: a plan without them could unbind what they meant to keep).
 * </ul>
 */
final class PartitionQuery implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  enum Kind {
    EXPORT_ACCOUNTS,
    EXPORT_TOKENS,
    RECONCILE
  }

  static final String BINDING = "binding";
  static final String NO_BINDING = "no_binding";
  static final String UNANSWERED = "unanswered";
  static final String TO_BIND = "to_bind";
  static final String TO_UNBIND = "to_unbind";
  static final String UNPLANNED = "unplanned";

  /**
   * Wanted rows left out of the plan: a token wanted for two accounts of one type, and the other
   * rows of those accounts (the input's malformed rows are {@code rejected}, written by the job).
   */
  static final String HELD_BACK = "held_back";

  private final MigrationSettings settings;
  private final Kind kind;
  private final CollectionAccumulator<String> stops;

  PartitionQuery(MigrationSettings settings, Kind kind, CollectionAccumulator<String> stops) {
    this.settings = settings;
    this.kind = kind;
    this.stops = stops;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Outcomes(input, ExecutorClients.get(settings));
  }

  /** A key read from a row: an account with its wanted tokens, or a token. */
  private static final class Key {
    final Account account; // null for a token
    final String token;
    final List<String> wanted = new ArrayList<>();

    Key(Account account, String token) {
      this.account = account;
      this.token = token;
    }
  }

  private final class Outcomes implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final TpnsClient client;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final int sliceKeys;
    private String stopCause;

    Outcomes(Iterator<Row> rows, TpnsClient client) {
      this.rows = rows;
      this.client = client;
      this.sliceKeys = PartitionMigration.ITEMS_PER_CALL_IN_FLIGHT * settings.callsPerTask;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && rows.hasNext()) {
        if (stopCause != null) {
          Key k = parse(rows.next());
          if (k != null) {
            notAnswered(k, "not asked: the partition stopped: " + stopCause);
          }
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

    private void slice() {
      List<Key> keys = new ArrayList<>();
      while (keys.size() < sliceKeys && rows.hasNext()) {
        Key k = parse(rows.next());
        if (k != null) {
          keys.add(k);
        }
      }
      if (keys.isEmpty()) {
        return;
      }
      if (kind == Kind.EXPORT_TOKENS) {
        List<String> tokens = new ArrayList<>(keys.size());
        keys.forEach(k -> tokens.add(k.token));
        query(
            keys,
            BulkQueryRequest.accountsOfTokens(tokens),
            (token, accounts) -> {
              if (accounts.isEmpty()) {
                ready.add(RowFactory.create(token, null, null, NO_BINDING, null));
              }
              for (Account a : accounts) {
                ready.add(row(token, a, BINDING, null));
              }
            });
        return;
      }
      Map<Account, Key> byAccount = new LinkedHashMap<>();
      keys.forEach(k -> byAccount.put(k.account, k));
      query(
          keys,
          BulkQueryRequest.tokensOfAccounts(new ArrayList<>(byAccount.keySet())),
          (account, tokens) -> {
            if (kind == Kind.EXPORT_ACCOUNTS) {
              if (tokens.isEmpty()) {
                ready.add(row(null, account, NO_BINDING, null));
              }
              for (String t : tokens) {
                ready.add(row(t, account, BINDING, null));
              }
              return;
            }
            AccountDiff diff = AccountDiff.of(account, byAccount.get(account).wanted, tokens);
            for (String t : diff.toBind()) {
              ready.add(
                  row(
                      t,
                      account,
                      TO_BIND,
                      "wanted, not bound in TPNS; binding replaces the token's account of type "
                          + account.accountType()
                          + ", if any"));
            }
            for (String t : diff.toUnbind()) {
              ready.add(row(t, account, TO_UNBIND, "bound in TPNS, not wanted for this account"));
            }
          });
    }

    /** Runs one bulk query over {@code keys}; the keys it did not answer become outcome rows. */
    private <K, V> void query(
        List<Key> keys,
        BulkQueryRequest<K, V> request,
        io.github.tpns4j.account.BulkQueryHandler<K, V> handler) {
      request = request.concurrency(settings.callsPerTask);
      BulkQueryResult<K, V> result;
      long rest = keys.size();
      try {
        result = client.bulkQuery(request, handler);
      } catch (TpnsBulkQueryStoppedException e) {
        result = e.partialResult(request);
        rest = e.inputIndex();
        stopCause = String.valueOf(e.getCause());
        stops.add(Stops.entry(stopCause));
      }
      Map<String, Key> byName = new LinkedHashMap<>();
      for (Key k : keys) {
        byName.put(
            k.account != null ? k.account.account() + "|" + k.account.accountType() : k.token, k);
      }
      for (ItemResult f : result.failures()) {
        String name =
            f.account().isPresent()
                ? f.account().get().account() + "|" + f.account().get().accountType()
                : f.key();
        notAnswered(byName.get(name), f.code() == null ? "NO_ANSWER" : f.code());
      }
      for (long i = rest; i < keys.size(); i++) {
        notAnswered(keys.get((int) i), "not asked: the partition stopped: " + stopCause);
      }
    }

    private void notAnswered(Key k, String detail) {
      if (k.account == null) {
        ready.add(RowFactory.create(k.token, null, null, UNANSWERED, detail));
      } else if (kind == Kind.EXPORT_ACCOUNTS) {
        ready.add(row(null, k.account, UNANSWERED, detail));
      } else {
        for (String t : k.wanted) {
          ready.add(row(t, k.account, UNPLANNED, detail));
        }
      }
    }

    /** The key of a row, or null when the row was rejected (its outcome rows are in ready). */
    private Key parse(Row row) {
      if (kind == Kind.EXPORT_TOKENS) {
        String token = row.getString(0);
        try {
          BatchOperateRequest.deleteAllForTokens(token == null ? null : token);
          return new Key(null, token);
        } catch (TpnsValidationException e) {
          ready.add(RowFactory.create(token, null, null, HELD_BACK, e.getMessage()));
          return null;
        }
      }
      String name = row.getString(0);
      Integer type = row.isNullAt(1) ? null : row.getInt(1);
      String rawType = row.getString(2);
      List<String> tokens = row.isNullAt(3) ? new ArrayList<>() : row.getList(3);
      String why;
      Account account = null;
      if (type == null) {
        why = "account_type \"" + rawType + "\" is not a whole number";
      } else {
        try {
          account = Account.of(name, type);
          why = null;
        } catch (TpnsValidationException e) {
          why = e.getMessage();
        }
      }
      if (account == null) {
        if (tokens.isEmpty() || kind == Kind.EXPORT_ACCOUNTS) {
          ready.add(RowFactory.create(null, name, rawType, HELD_BACK, why));
        }
        if (kind == Kind.RECONCILE) {
          for (String t : tokens) {
            ready.add(RowFactory.create(t, name, rawType, HELD_BACK, why));
          }
        }
        return null;
      }
      Key k = new Key(account, null);
      List<String> refused = new ArrayList<>();
      List<String> conflicts = row.isNullAt(4) ? new ArrayList<>() : row.getList(4);
      for (String t : tokens) {
        String trimmed = t == null ? "" : t.trim();
        if (kind == Kind.RECONCILE && conflicts.contains(t)) {
          refused.add(t);
          ready.add(
              RowFactory.create(
                  t,
                  name,
                  rawType,
                  HELD_BACK,
                  "token is also wanted for another account of the same account_type; TPNS keeps"
                      + " one account per type per token: keep one row"));
          continue;
        }
        try {
          BatchOperateRequest.deleteAllForTokens(trimmed);
          k.wanted.add(trimmed);
        } catch (TpnsValidationException e) {
          refused.add(t);
          ready.add(RowFactory.create(t, name, rawType, HELD_BACK, e.getMessage()));
        }
      }
      if (kind == Kind.RECONCILE && (!refused.isEmpty() || k.wanted.isEmpty())) {
        // Planning on what is left would unbind what the rejected row may have meant to keep.
        for (String t : k.wanted) {
          ready.add(
              row(
                  t,
                  account,
                  HELD_BACK,
                  "held back: another wanted row of this account was held back; fix that one"));
        }
        return null;
      }
      return k;
    }
  }

  private static Row row(String token, Account a, String outcome, String detail) {
    return RowFactory.create(
        token,
        a.account(),
        a.accountType() == null ? "0" : a.accountType().toString(),
        outcome,
        detail);
  }
}
