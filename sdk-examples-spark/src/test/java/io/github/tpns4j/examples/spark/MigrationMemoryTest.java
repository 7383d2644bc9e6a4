package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.BufferedWriter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million rows, one in ten refused, through the job in local[4] in a child JVM with a 512 MiB
 * heap: a partition of refused rows needs memory for its calls in flight, not for its rows. The
 * fake server runs here, in the parent, so that the child's heap is the job's alone.
 */
@org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
class MigrationMemoryTest {
  @Test
  void migratesAMillionRowsWithATenthRefusedInA512MiBHeap(@TempDir Path dir) throws Exception {
    int n = 1_000_000;
    Path input = dir.resolve("input.csv");
    try (FakeTpnsServer tpns = FakeTpnsServer.start()) {
      tpns.setRequireRegisteredTokens(true);
      try (BufferedWriter w = Files.newBufferedWriter(input)) {
        w.write("token,account,account_type\n");
        for (int i = 0; i < n; i++) {
          String t = String.format("tok-%07d", i);
          w.write(t + ",user-" + i + ",1005\n");
          if (i % 10 != 3) {
            tpns.registerToken(t);
          }
        }
      }
      String java =
          System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.add("-Xmx512m");
      cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.options", "").trim().split("\\s+")));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(MigrationMemoryCheck.class.getName());
      cmd.addAll(
          List.of(
              input.toString(),
              dir.resolve("out").toString(),
              tpns.accessId(),
              tpns.secretKey(),
              tpns.baseUrl()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      String printed = new String(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(printed).isZero();
      assertThat(printed).contains("rows=1000000 bound=900000 refused=100000");
      // the peak heap, for the record: the run itself is the check (it fits in 512 MiB)
      System.out.println(
          printed.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(printed));
    }
  }
}
