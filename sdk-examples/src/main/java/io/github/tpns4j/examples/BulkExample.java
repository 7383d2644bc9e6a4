package io.github.tpns4j.examples;

import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds 5 000 rows through {@code bulkOperate}, with progress, and sends again what is worth
 * sending again ({@code retryFailed()}). Against the in-process fake, which leaves one token in a
 * hundred unregistered so that a refusal shows too. For files, retry files and exact accounting,
 * use the command line: {@code tpns4j import} (docs/cli.md).
 *
 * <pre>
 * mvn -B -q install -DskipTests -pl sdk-examples -am
 * mvn -B -q -pl sdk-examples exec:java -Dexample=io.github.tpns4j.examples.BulkExample
 * </pre>
 */
public final class BulkExample {
  public static void main(String[] args) {
    List<TokenAccounts> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(TokenAccounts.of("token-" + i, Account.of("user-" + i + "@example.com", 1005)));
    }
    try (ExampleEnvironment env = ExampleEnvironment.demo(Duration.ofMillis(20))) {
      env.fake.setRequireRegisteredTokens(true);
      for (int i = 0; i < rows.size(); i++) {
        if (i % 100 != 42) {
          env.fake.registerToken("token-" + i);
        }
      }
      BulkRequest request =
          BulkRequest.overwrite(rows)
              .concurrency(8)
              .onProgress(
                  (items, calls) -> {
                    if (calls % 50 == 0) {
                      System.out.println(
                          "progress: " + items + " rows answered in " + calls + " calls");
                    }
                  });
      BulkResult result;
      try {
        result = env.client.bulkOperate(request);
      } catch (TpnsBulkStoppedException e) {
        // credentials refused, or TPNS down for good: what was done, and where it stopped
        System.out.println("stopped at input row " + e.inputIndex() + ": " + e.getCause());
        result = e.partialResult();
      }
      System.out.println(
          result.itemsSucceeded()
              + " bound, "
              + result.failures().size()
              + " not, in "
              + result.calls()
              + " calls");
      // Refused rows (an unregistered token, 1008006) fail again until fixed; the rest
      // (no answer, rate limits, internal errors) are worth sending again unchanged.
      int shown = 0;
      for (ItemResult f : result.failures()) {
        if (!f.isRetryable() && shown++ < 3) {
          System.out.println(
              "  refused: " + f.key() + " " + f.code() + " (" + f.resultCode() + ")");
        }
      }
      BulkRequest retry = result.retryFailed(); // exactly the rows that failed, same settings
      System.out.println(
          retry.input().iterator().hasNext()
              ? "sending the failed rows again"
              : "nothing to send again");
      BulkResult again = env.client.bulkOperate(retry);
      System.out.println(
          "again: "
              + again.itemsSucceeded()
              + " bound, "
              + again.failures().size()
              + " still refused");
    }
  }
}
