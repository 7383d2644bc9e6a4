package io.github.tpns4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Option;

/** {@code --out-dir}: where a command writes its files; made when it does not exist. */
final class OutDir {
  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description =
          "Where to write the output files (made if missing). Default: the current directory;"
              + " for a demo, a new temporary directory.")
  Path dir;

  /** The directory, made if missing; for a demo without --out-dir, a new temporary one. */
  Path resolve(boolean demo) {
    try {
      if (dir == null) {
        return demo ? Files.createTempDirectory("tpns4j-demo-") : Paths.get("").toAbsolutePath();
      }
      Path d = dir.toAbsolutePath().normalize();
      if (Files.exists(d) && !Files.isDirectory(d)) {
        throw new Tpns4j.Failure("--out-dir " + d + " is a file, not a directory");
      }
      Files.createDirectories(d);
      return d;
    } catch (IOException e) {
      throw new Tpns4j.Failure("cannot make the output directory " + dir + ": " + e);
    }
  }

  boolean given() {
    return dir != null;
  }

  /** For a printed command: {@code --out-dir DIR} (absolute) when the user gave one. */
  void addTo(java.util.List<String> args) {
    if (dir != null) {
      args.add("--out-dir");
      args.add(dir.toAbsolutePath().normalize().toString());
    }
  }
}
