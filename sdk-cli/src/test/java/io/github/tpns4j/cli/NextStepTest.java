package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextStepTest {
  @Test
  void everyArgumentComesBackFromAShellAsItWas() throws Exception {
    List<String> args =
        List.of(
            "/plain/path.csv",
            "/with space/file.csv",
            "/dollar$HOME/x",
            "/back`tick`/x",
            "/quote'd/x",
            "/both \"double\" and 'single'/x",
            "new\nline",
            "*.csv",
            "~/home",
            "-",
            "a;b&c|d>e<f(g)h{i}j[k]l!m#n",
            "");
    StringBuilder script = new StringBuilder("printf '%s\\0'");
    for (String a : args) {
      script.append(' ').append(NextStep.quote(a));
    }
    Process p = new ProcessBuilder("sh", "-c", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    List<String> back = new ArrayList<>(List.of(out.split("\0", -1)));
    back.remove(back.size() - 1);
    assertThat(back).isEqualTo(args);
  }
}
