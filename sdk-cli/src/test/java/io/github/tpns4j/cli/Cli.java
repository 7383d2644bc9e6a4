package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Runs {@code tpns4j} in this JVM as a shell would, and reads back what it printed. */
final class Cli {
  private Cli() {}

  /** What a run returned and printed. */
  record Run(int code, String out) {}

  /** {@code tpns4j ARGS} with credentials for {@code fake} in the environment (none: null). */
  static Run run(FakeTpnsServer fake, String... args) {
    Map<String, String> env = new HashMap<>();
    if (fake != null) {
      env.put("TPNS_CREDENTIALS", credentialsFile(fake).toString());
    }
    return run(env, args);
  }

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // stdout and stderr in one stream, in the order printed, as a terminal shows them
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = Tpns4j.execute(ps, ps, env::get, args);
    return new Run(code, out.toString(StandardCharsets.UTF_8));
  }

  /** The credentials file of a fake, as {@code tpns4j fake} writes it. */
  static Path credentialsFile(FakeTpnsServer fake) {
    try {
      Path f = Files.createTempFile("tpns4j-test-credentials-", ".properties");
      f.toFile().deleteOnExit();
      Properties p = new Properties();
      p.setProperty("access-id", fake.accessId());
      p.setProperty("secret-key", fake.secretKey());
      p.setProperty("base-url", fake.baseUrl());
      try (var w = Files.newBufferedWriter(f)) {
        p.store(w, null);
      }
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The commands a run printed for the user to paste ({@code tpns4j ...} lines), each as the
   * arguments a POSIX shell passes: single quotes (with {@code '\''}) undone.
   */
  static List<List<String>> printedCommands(String printed) {
    List<List<String>> commands = new ArrayList<>();
    for (String line : printed.split("\n")) {
      line = line.trim();
      if (!line.startsWith("tpns4j ")) {
        continue;
      }
      List<String> args = shellWords(line.substring("tpns4j ".length()));
      commands.add(args);
    }
    return commands;
  }

  /** Words as sh splits them, for what NextStep prints: plain words and single quotes. */
  static List<String> shellWords(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        assertThat(end).as("unbalanced quote in " + s).isGreaterThan(i);
        w.append(s, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        assertThat("\"$`").as("an unquoted shell character in " + s).doesNotContain("" + c);
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  /** The data rows of a file tpns4j wrote: its mark and header left out. */
  static List<String> dataRows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).startsWith("# tpns4j kind=");
    return lines.subList(2, lines.size());
  }

  static String header(Path csv) throws IOException {
    return Files.readAllLines(csv).get(1);
  }

  /** A stream that counts down a latch once {@code text} has been written to it. */
  static final class Watch extends java.io.OutputStream {
    final ByteArrayOutputStream all = new ByteArrayOutputStream();
    final java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
    final String text;

    Watch(String text) {
      this.text = text;
    }

    @Override
    public synchronized void write(int b) {
      all.write(b);
      if (b == '\n' && all.toString(StandardCharsets.UTF_8).contains(text)) {
        seen.countDown();
      }
    }

    synchronized String text() {
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  /** {@code tpns4j fake ARGS} running in this JVM: what it prints, its command, its exit code. */
  record Fake(
      Watch out, FakeCommand command, java.util.concurrent.CompletableFuture<Integer> exit) {}

  /** Starts {@code tpns4j fake ARGS} and waits until it prints its export line. */
  static Fake startFake(String... args) throws InterruptedException {
    Watch watch = new Watch("export TPNS_CREDENTIALS=");
    PrintStream ps = new PrintStream(watch, true, StandardCharsets.UTF_8);
    picocli.CommandLine cli = new picocli.CommandLine(new Tpns4j(ps, ps, name -> null));
    String[] all = new String[args.length + 1];
    all[0] = "fake";
    System.arraycopy(args, 0, all, 1, args.length);
    java.util.concurrent.CompletableFuture<Integer> exit =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> cli.execute(all));
    assertThat(watch.seen.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as(watch.text())
        .isTrue();
    return new Fake(watch, (FakeCommand) cli.getSubcommands().get("fake").getCommand(), exit);
  }
}
