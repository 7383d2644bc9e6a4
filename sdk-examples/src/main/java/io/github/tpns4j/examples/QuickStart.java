package io.github.tpns4j.examples;

import io.github.tpns4j.TpnsApiException;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.AccountType;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;

/**
 * Binds a push token to two accounts, reads the binding back, and unbinds it.
 *
 * <p>Runs against the in-process fake TPNS server unless {@code TPNS_ACCESS_ID} and {@code
 * TPNS_SECRET_KEY} are set. Against real TPNS, set {@code TPNS_TOKEN} to a token of one of your
 * devices: a made-up token is reported per item as {@code 1008006} (invalid token).
 */
public final class QuickStart {
  public static void main(String[] args) {
    String token = System.getenv().getOrDefault("TPNS_TOKEN", "quickstart-demo-token");
    ExampleEnvironment environment;
    try {
      // A token of your own is real input: it needs real TPNS, never the fake.
      environment =
          ExampleEnvironment.fromEnv(Duration.ofMillis(20), System.getenv("TPNS_TOKEN") != null);
    } catch (ExampleEnvironment.MissingCredentials e) {
      System.out.println("QuickStart: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (ExampleEnvironment env = environment) {
      // 1. Bind: one account per account type per token; overwrite replaces the same type.
      BatchOperateRequest bind =
          BatchOperateRequest.overwrite(
              TokenAccounts.of(
                  token,
                  Account.of("alice@example.com", AccountType.EMAIL),
                  Account.of("+8613711112222", AccountType.MOBILE)));
      System.out.println("bind      " + bind.toJson());
      BatchOperateResult bound = env.client.batchOperate(bind);
      report(bound);

      // 2. Read it back. TPNS applies bindings asynchronously: a query right after a bind may
      //    not show it yet on the real service.
      AccountQueryResult accounts =
          env.client.queryAccounts(AccountQueryRequest.accountsOfTokens(token));
      System.out.println(
          "query     accounts of "
              + token
              + ": "
              + accounts.accountsByToken().get(token)
              + " (item code "
              + accounts.items().get(0).code()
              + ")");
      AccountQueryResult tokens =
          env.client.queryAccounts(
              AccountQueryRequest.tokensOfAccounts(
                  Account.of("alice@example.com", AccountType.EMAIL)));
      System.out.println(
          "query     tokens of alice@example.com: "
              + tokens.tokensByAccount().get("alice@example.com"));

      // 3. Unbind every account of the token.
      BatchOperateResult unbound =
          env.client.batchOperate(BatchOperateRequest.deleteAllForTokens(token));
      report(unbound);
      if (env.fake != null) {
        System.out.println(
            "fake      accounts of "
                + token
                + " now: "
                + env.fake.accountsOf(token)
                + "; requests served: "
                + env.fake.requestCount());
      }
      System.out.println("done");
    } catch (TpnsApiException e) {
      System.err.println(
          "TPNS refused the call: ret_code "
              + e.retCode()
              + " ("
              + e.resultCode()
              + "): "
              + e.getMessage());
      System.exit(2);
    } catch (TpnsException e) {
      System.err.println(
          "The call failed" + (e.isRetryable() ? " (retryable)" : "") + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static void report(BatchOperateResult r) {
    System.out.println(
        "answer    ret_code="
            + r.retCode()
            + " err_msg="
            + r.errMsg()
            + " result="
            + r.rawResult());
    for (ItemResult item : r.items()) {
      System.out.println(
          "          "
              + item.key()
              + ": "
              + (item.isSuccess()
                  ? "ok"
                  : "failed, code " + item.code() + " (" + item.resultCode() + ")"));
    }
  }
}
