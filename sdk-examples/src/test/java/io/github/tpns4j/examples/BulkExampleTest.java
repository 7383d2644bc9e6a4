package io.github.tpns4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkExampleTest {
  @Test
  void bindsWhatItCanAndSendsAgainOnlyWhatFailed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      BulkExample.main(new String[0]);
    } finally {
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("DEMO")
        .contains("4950 bound, 50 not, in 250 calls")
        .contains("refused: token-42 1008006")
        .contains("again: 0 bound, 50 still refused");
  }
}
