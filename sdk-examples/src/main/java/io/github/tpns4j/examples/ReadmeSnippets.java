package io.github.tpns4j.examples;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsBulkQueryStoppedException;
import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountDiff;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.AccountType;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.LegacyAccountType;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The snippets of the README and of docs/, compiled on every build so that they stay true. Not run.
 */
final class ReadmeSnippets {
  private static final Logger log = Logger.getLogger("app");

  private ReadmeSnippets() {}

  static void quickStart(String token) {
    try (TpnsClient tpns =
        TpnsClient.builder()
            .accessId("1500001048")
            .secretKey(System.getenv("TPNS_SECRET_KEY"))
            .region(Region.SINGAPORE)
            .build()) {
      BatchOperateResult r =
          tpns.batchOperate(
              BatchOperateRequest.overwrite(
                  TokenAccounts.of(token, Account.of("+8613711112222", AccountType.MOBILE))));
      r.failures().forEach(f -> log.warning(f.key() + " not bound: " + f.code()));
    }
  }

  static void query(TpnsClient tpns) {
    AccountQueryResult q =
        tpns.queryAccounts(AccountQueryRequest.accountsOfTokens("token1", "token2"));
    List<Account> accounts = q.accountsByToken().get("token1");
    AccountQueryResult t =
        tpns.queryAccounts(AccountQueryRequest.tokensOfAccounts(Account.of("alice")));
    List<String> tokens = t.tokensByAccount().get("alice");
    List<ItemResult> items = q.items();
    log.info(accounts + " " + tokens + " " + items);
  }

  static void reconcile(TpnsClient tpns, Map<Account, List<String>> wanted) {
    List<TokenAccounts> binds = new ArrayList<>(), unbinds = new ArrayList<>();
    BulkQueryResult<Account, String> r =
        tpns.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(wanted.keySet()).concurrency(8),
            (account, tokens) -> {
              AccountDiff diff = AccountDiff.of(account, wanted.get(account), tokens);
              binds.addAll(diff.binds()); // wanted, not in TPNS
              unbinds.addAll(diff.unbinds()); // in TPNS, not wanted
            });
    tpns.bulkOperate(BulkRequest.overwrite(binds));
    tpns.bulkOperate(BulkRequest.deleteAccounts(unbinds));
    log.info(r.keysAnswered() + " accounts compared");
  }

  /** docs/reconcile.md: resuming a stopped bulk query exactly. */
  static void resumeQuery(
      TpnsClient tpns,
      List<Account> accounts,
      io.github.tpns4j.account.BulkQueryHandler<Account, String> handler) {
    BulkQueryRequest<Account, String> request = BulkQueryRequest.tokensOfAccounts(accounts);
    try {
      tpns.bulkQuery(request, handler);
    } catch (TpnsBulkQueryStoppedException e) {
      // fix the cause (e.getCause()), then:
      BulkQueryResult<Account, String> partial = e.partialResult(request);
      tpns.bulkQuery(partial.retryFailed(), handler);
      tpns.bulkQuery(
          request.withKeys(accounts.subList((int) e.inputIndex(), accounts.size())), handler);
    }
  }

  static void bulk(TpnsClient tpns, Iterable<TokenAccounts> rows) {
    BulkResult result =
        tpns.bulkOperate(
            BulkRequest.overwrite(rows)
                .concurrency(8)
                .onProgress((items, calls) -> log.fine(items + " done")));
    log.info(result.itemsSucceeded() + " " + result.failures() + " " + result.errors());
    BulkResult again = tpns.bulkOperate(result.retryFailed());
    log.info(again.toString());
  }

  static void bulkStop(TpnsClient tpns, List<TokenAccounts> input) {
    try {
      tpns.bulkOperate(BulkRequest.overwrite(input).concurrency(8));
    } catch (TpnsBulkStoppedException stop) {
      log.warning(stop.getCause() + " at " + stop.inputIndex());
      // after fixing the cause, everything left is:
      tpns.bulkOperate(stop.partialResult().retryFailed());
      tpns.bulkOperate(
          BulkRequest.overwrite(restOfInputFrom(input, stop.inputIndex())).concurrency(8));
    }
  }

  private static List<TokenAccounts> restOfInputFrom(List<TokenAccounts> input, long index) {
    return input.subList((int) index, input.size());
  }

  static void comingFromTheOfficialSdk(TpnsClient tpns, String token) {
    // bound by the official SDK with AccountType.email: stored as type 2
    tpns.batchOperate(
        BatchOperateRequest.deleteAccounts(
            TokenAccounts.of(token, Account.of("alice@example.com", LegacyAccountType.EMAIL))));
    // new bindings: TPNS's own table
    tpns.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of(token, Account.of("alice@example.com", AccountType.EMAIL))));
  }

  static TpnsClient callbackExecutor(
      String accessId, String secretKey, java.util.concurrent.Executor appExecutor) {
    TpnsClient tpns =
        TpnsClient.builder()
            .accessId(accessId)
            .secretKey(secretKey)
            .callbackExecutor(appExecutor) // futures complete here, off OkHttp's threads
            .build();
    return tpns;
  }
}
