package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A bulk query of a million accounts against the fake, with the client in a 64 MiB JVM of its own
 * (the fake, holding 900 000 bindings, runs here): answers are handed over and forgotten, never
 * collected, and unknown accounts are answers with no bindings.
 *
 * <p>On a loaded machine an attempt can time out (the read timeout) and be retried: the fake then
 * counts more requests than the 50 000 calls. The child counts its client's attempts, retries and
 * attempts with no answer through the client's event listener ({@link AttemptCounter}), and the
 * fake's count is checked against those.
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
      long attempts = count(out, "attempts");
      long retries = count(out, "retries");
      long noAnswer = count(out, "noAnswer");
      assertThat(attempts).as(out).isEqualTo(50000 + retries);
      // every call reached the fake; an attempt that timed out may have too, before its retry
      assertThat((long) tpns.requestCount()).as(out).isBetween(50000L, 50000L + noAnswer);
    }
  }

  private static long count(String out, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(out);
    assertThat(m.find()).as(name + " in " + out).isTrue();
    return Long.parseLong(m.group(1));
  }
}
