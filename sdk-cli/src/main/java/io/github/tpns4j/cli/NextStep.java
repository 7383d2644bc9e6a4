package io.github.tpns4j.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * The commands the tools print for a user to paste: whole commands, with absolute paths, each
 * argument quoted for a POSIX shell (bash, zsh, dash) so that a path holding a space, {@code $}, a
 * backquote or {@code '} is passed as it is, from any directory.
 */
public final class NextStep {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@,+%^-]+");

  private NextStep() {}

  /**
   * Whether an argument needs no quotes: letters, digits and {@code _./:=@,+%^-} only, which no
   * shell, and no tokenizer of the same family (exec:java's), reads specially.
   */
  public static boolean isPlain(String arg) {
    return !arg.isEmpty() && PLAIN.matcher(arg).matches();
  }

  /** One argument as a POSIX shell reads it back: as is when plain, else in single quotes. */
  public static String quote(String arg) {
    if (isPlain(arg)) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** A path, made absolute, quoted. */
  public static String path(Path p) {
    return quote(p.toAbsolutePath().normalize().toString());
  }

  /** {@code tpns4j ARGS...}: the command that runs the tool again, each argument quoted. */
  public static String tpns4j(String... args) {
    StringBuilder b = new StringBuilder(launcher());
    for (String a : args) {
      b.append(' ').append(quote(a));
    }
    return b.toString();
  }

  /**
   * How to start the tool from any directory: {@code tpns4j} when the launcher that started this
   * run is the one on the PATH; else the launcher's absolute path; else (started with {@code java
   * -jar}) {@code java -jar} and the jar's absolute path.
   */
  static String launcher() {
    String script = System.getenv("TPNS4J_LAUNCHER");
    if (script != null && !script.isEmpty()) {
      Path launcher = Paths.get(script).toAbsolutePath().normalize();
      if (isOnPath(launcher)) {
        return "tpns4j";
      }
      return quote(launcher.toString());
    }
    try {
      Path jar =
          Paths.get(NextStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar)) {
        return "java -jar " + path(jar);
      }
    } catch (URISyntaxException | RuntimeException e) {
      // below
    }
    return "tpns4j";
  }

  private static boolean isOnPath(Path launcher) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Paths.get(dir, "tpns4j");
      try {
        if (Files.isExecutable(candidate)) {
          return Files.isSameFile(candidate, launcher);
        }
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
    }
    return false;
  }
}
