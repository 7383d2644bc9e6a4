package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class OutputsTest {
  private static JobOptions options(String output, String... inputs) {
    JobOptions o = new JobOptions();
    o.output = output;
    o.inputs.addAll(List.of(inputs));
    return o;
  }

  @Test
  void aPrintedCommandPassesEveryArgumentAsItIsThroughTheShellAndExecJava() throws Exception {
    List<String> args =
        List.of(
            "--input",
            "/data/it's a $HOME `date` \"dir\"/outcome=failed,/x/outcome=never_sent",
            "--output",
            "/tmp/a b$c'd");
    String command = Outputs.command(args);
    assertThat(command).startsWith(Outputs.COMMAND + " '-Dmigration.args=");
    assertThat(PrintedCommands.jobArgs(command)).containsExactlyElementsOf(args);
  }

  @Test
  void pathsWithoutASchemeAreOnTheDefaultFileSystemNotLocalFiles() throws Exception {
    Configuration hdfs = new Configuration(false);
    hdfs.set("fs.defaultFS", "hdfs://localhost:1");
    hdfs.set("fs.hdfs.impl", "org.apache.hadoop.hdfs.DistributedFileSystem");
    // the same path on two file systems: nothing to refuse
    Outputs.checkPaths(hdfs, options("/data/out", "file:/data/out"));
    assertThat(Outputs.qualified(hdfs, "/data/out").toString())
        .isEqualTo("hdfs://localhost:1/data/out");
    assertThatThrownBy(() -> Outputs.checkPaths(hdfs, options("/data/out", "/data/out/x")))
        .hasMessageContaining("holds the --input");
    assertThatThrownBy(
            () -> Outputs.checkPaths(hdfs, options("hdfs://localhost:1/data/out", "/data/out")))
        .hasMessageContaining("is also an --input");
  }

  @Test
  void localPathsAreComparedAsLocalFiles() throws Exception {
    Configuration local = new Configuration(false);
    assertThatThrownBy(() -> Outputs.checkPaths(local, options("out/", "file:" + absolute("out"))))
        .hasMessageContaining("is also an --input");
    assertThatThrownBy(() -> Outputs.checkPaths(local, options("out/x", "out")))
        .hasMessageContaining("lies inside the --input");
  }

  private static String absolute(String p) {
    return java.nio.file.Path.of(p).toAbsolutePath().toString();
  }
}
