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

  private Path resolved;

  /**
   * The directory, made if missing and checked writable before anything is sent; for a demo without
   * --out-dir, a new temporary one.
   */
  Path resolve(boolean demo) {
    try {
      Path d;
      if (dir == null) {
        d =
            demo
                ? Files.createTempDirectory("tpns4j-demo-")
                : Paths.get("").toAbsolutePath().normalize();
      } else {
        d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d)) {
          throw new Tpns4j.Failure("--out-dir " + d + " is a file, not a directory");
        }
        Files.createDirectories(d);
      }
      Path probe = Files.createTempFile(d, ".tpns4j-write-check-", ".tmp");
      Files.delete(probe);
      resolved = d;
      return d;
    } catch (IOException e) {
      throw new Tpns4j.Failure(
          "cannot write to the output directory "
              + (dir != null ? dir : Paths.get("").toAbsolutePath())
              + " ("
              + e
              + "): give a directory you can write to with --out-dir. Nothing was sent");
    }
  }

  boolean given() {
    return dir != null;
  }

  /**
   * For a printed command: {@code --out-dir DIR}, absolute, the directory this run wrote to (or the
   * current one): pasted in another directory, the command writes where this run did.
   */
  void addTo(java.util.List<String> args) {
    Path d =
        resolved != null
            ? resolved
            : dir != null ? dir.toAbsolutePath().normalize() : Paths.get("").toAbsolutePath();
    args.add("--out-dir");
    args.add(d.toString());
  }
}
