package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fake keeps no record per request: a million-token bulk runs in a 64 MiB JVM. */
@org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
class FakeMemoryTest {
  @Test
  void servesAMillionTokenBulkInA64MiBJvm() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                FakeMemoryCheck.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("items=1000000 calls=50000 requests=50000");
    assertThat(p.exitValue()).as(out).isZero();
  }
}
