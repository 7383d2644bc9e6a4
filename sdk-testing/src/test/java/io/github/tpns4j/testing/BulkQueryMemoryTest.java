package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bulk query of a million accounts against the fake, with the client in a 64 MiB JVM of its own
 * (the fake, holding 900 000 bindings, runs here): answers are handed over and forgotten, never
 * collected, and unknown accounts are answers with no bindings.
 */
@org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
class BulkQueryMemoryTest {
  @Test
  void queriesAMillionAccountsInA64MiBJvm() throws Exception {
    try (FakeTpnsServer tpns = FakeTpnsServer.start()) {
      for (int i = 0; i < BulkQueryMemoryCheck.ACCOUNTS; i++) {
        if (i % 10 != 0) {
          tpns.bind("token-" + i, Account.of("user-" + i, 1005));
        }
      }
      String java =
          System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      Process p =
          new ProcessBuilder(
                  java,
                  "-Xmx64m",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BulkQueryMemoryCheck.class.getName(),
                  tpns.baseUrl(),
                  tpns.accessId(),
                  tpns.secretKey())
              .redirectErrorStream(true)
              .start();
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.println("BulkQueryMemoryTest: " + out.trim());
      assertThat(out)
          .contains(
              "keysAnswered=1000000 keysWithoutBindings=100000 bindingsFound=900000 calls=50000"
                  + " failures=0 wrongAnswers=0");
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(tpns.requestCount()).isEqualTo(50000);
    }
  }
}
