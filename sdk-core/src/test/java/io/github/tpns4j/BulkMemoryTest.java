package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A million lazily read tokens in a 64 MiB heap: memory is bounded by the calls in flight. */
class BulkMemoryTest {
  @Test
  void bindsAMillionTokensInA64MiBHeap() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                // the JDK's HttpServer otherwise waits on Nagle + delayed ACK (40 ms) per answer
                "-Dsun.net.httpserver.nodelay=true",
                "-cp",
                System.getProperty("java.class.path"),
                BulkMemoryCheck.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("items=1000000 calls=50000 failures=0");
    assertThat(p.exitValue()).as(out).isZero();
  }
}
