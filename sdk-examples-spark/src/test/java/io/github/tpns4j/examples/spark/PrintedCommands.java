package io.github.tpns4j.examples.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.codehaus.plexus.util.cli.CommandLineUtils;

/** The commands a run printed, read back as a user's shell and then exec:java read them. */
final class PrintedCommands {
  private PrintedCommands() {}

  /** The job's arguments of each printed command, in order. */
  static List<String[]> of(String printed) throws Exception {
    List<String[]> commands = new ArrayList<>();
    for (String line : printed.split("\n")) {
      String l = line.trim();
      if (l.startsWith(Outputs.COMMAND + " ")) {
        commands.add(jobArgs(l));
      }
    }
    return commands;
  }

  /** One printed command line: split by sh, then its -Dmigration.args by exec:java's tokenizer. */
  static String[] jobArgs(String commandLine) throws Exception {
    String prefix = "-Dmigration.args=";
    String value =
        Arrays.stream(shellWords(commandLine))
            .filter(a -> a.startsWith(prefix))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + prefix + " in " + commandLine))
            .substring(prefix.length());
    return CommandLineUtils.translateCommandline(value);
  }

  /** The words a POSIX shell makes of a command line (sh itself, not a copy of its rules). */
  static String[] shellWords(String commandLine) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", "printf '%s\\0' " + commandLine).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("sh could not read " + commandLine + ": " + err);
    }
    return out.isEmpty() ? new String[0] : out.substring(0, out.length() - 1).split("\0", -1);
  }
}
