package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files an --input names, as Spark's own readers list them; no Spark session needed. */
class InputFilesTest {
  @Test
  void aGlobSkipsWhatAFolderHidesAndAGlobMatchingNothingIsAnError(@TempDir Path dir)
      throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("part-00000.csv"), "t1,a\n");
    Files.writeString(out.resolve("_SUCCESS"), "");
    Files.createDirectories(out.resolve("_temporary/0"));
    Files.writeString(out.resolve("_temporary/0/part-00001.csv"), "t2,b\n");
    Configuration conf = new Configuration();
    List<String> files = InputRows.files(conf, out.toUri() + "/*");
    assertThat(files).singleElement().asString().endsWith("part-00000.csv");
    assertThat(InputRows.files(conf, out.toUri().toString()))
        .singleElement()
        .asString()
        .endsWith("part-00000.csv");
    assertThatThrownBy(() -> InputRows.files(conf, dir.toUri() + "/nothing-*.csv"))
        .hasMessageContaining("matches no file");
    assertThatThrownBy(() -> InputRows.files(conf, out.resolve("_SUCCESS").toUri().toString()))
        .hasMessageContaining("starts with _ or .");
  }
}
