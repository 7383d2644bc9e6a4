package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A million lazily read tokens in a 64 MiB heap: memory is bounded by the calls in flight plus a
 * compact record per failed item, and an outage stops the run instead of filling the heap.
 */
@org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
class BulkMemoryTest {
  @Test
  void bindsAMillionTokensInA64MiBHeap() throws Exception {
    assertThat(runChild("ok")).contains("items=1000000 calls=50000 failures=0 stoppedAt=-1");
  }

  @Test
  void keepsTheFailuresOfAMillionTokensWhenTenPercentFailInA64MiBHeap() throws Exception {
    assertThat(runChild("fail10"))
        .contains("items=900000 calls=50000 failures=100000 stoppedAt=-1");
  }

  @Test
  void stopsEarlyInA64MiBHeapWhenEveryCallFails() throws Exception {
    assertThat(runChild("outage")).contains("items=0").doesNotContain("stoppedAt=-1");
  }

  private static String runChild(String mode) throws Exception {
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
                BulkMemoryCheck.class.getName(),
                mode)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
