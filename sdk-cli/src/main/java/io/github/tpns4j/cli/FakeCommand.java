package io.github.tpns4j.cli;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.cli.csv.Csv;
import io.github.tpns4j.cli.csv.CsvRows;
import io.github.tpns4j.cli.csv.FileMark;
import io.github.tpns4j.cli.csv.RowRules;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The fake TPNS as a server of its own, to try every command and test services without TPNS. */
@Command(
    name = "fake",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Runs a fake TPNS (the account APIs: batchoperate and query, signed or Basic auth) until"
          + " stopped with Ctrl-C, and prints how to point the other commands, or any service, at"
          + " it. The credentials it accepts are written to a file (--credentials), never printed.",
      "It serves plain HTTP on loopback by default; with --host 0.0.0.0 anyone who reaches the"
          + " port and has the credentials can use it: expose it only on a test network.",
      "Exit codes: 2 could not start. Stopped by Ctrl-C or SIGTERM, it saves its bindings, and the"
          + " shell reports the signal (130, 143)."
    })
final class FakeCommand implements Callable<Integer> {
  /** The kind of the file {@code --bindings} is saved as. */
  static final String SAVED = "fake-bindings";

  @ParentCommand Tpns4j cli;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "The port (default ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "The address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--credentials",
      paramLabel = "FILE",
      description =
          "Its credentials: read from FILE when it exists (access-id, secret-key), else made up"
              + " and written there. Default: tpns4j-fake-PORT.properties in the temporary"
              + " directory.")
  Path credentials;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "token rows: the tokens registered with this app; a write to any other is refused with"
              + " 1008006, as TPNS does. Default: every token is registered.")
  Path tokens;

  @Option(
      names = "--bindings",
      paramLabel = "FILE",
      description =
          "token,account,account_type rows to start from (when the file exists), and where the"
              + " bindings are saved when the fake stops.")
  Path bindings;

  @Option(
      names = "--apply-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "0s",
      description =
          "Apply writes this long after answering them, as TPNS does (default ${DEFAULT-VALUE}:"
              + " at once).")
  Duration applyDelay;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "0s",
      description = "Delay every answer by this much (default ${DEFAULT-VALUE}).")
  Duration latency;

  /** Counted down when the fake has stopped and saved (tests). */
  final CountDownLatch stopped = new CountDownLatch(1);

  /** Stops the fake (tests; Ctrl-C in use). */
  final CountDownLatch stop = new CountDownLatch(1);

  /** The server, once started (tests). */
  volatile FakeTpnsServer server;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new Tpns4j.Failure("--port is " + port + "; it takes 0 to 65535");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (IOException e) {
      throw new Tpns4j.Failure("--host " + host + " is not an address here: " + e.getMessage());
    }
    String[] idAndKey =
        credentials != null && Files.exists(credentials) ? read(credentials) : made();
    FakeTpnsServer fake;
    try {
      fake = FakeTpnsServer.start(idAndKey[0], idAndKey[1], new InetSocketAddress(address, port));
    } catch (UncheckedIOException e) {
      throw new Tpns4j.Failure(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getCause().getMessage()
              + "): another program has the port? Give another with --port, or --port 0 for any"
              + " free one");
    }
    server = fake;
    try {
      fake.setApplyDelay(applyDelay);
      fake.setLatency(latency);
      String url = fake.baseUrl();
      if (address.isAnyLocalAddress()) {
        url =
            "http://"
                + InetAddress.getLocalHost().getHostName()
                + ":"
                + fake.baseUrl().replaceAll(".*:(\\d+)/$", "$1")
                + "/";
      }
      Path file = clientCredentials(fake, idAndKey, url);
      long registered = tokens == null ? -1 : registerTokens(fake);
      long loaded = bindings != null && Files.exists(bindings) ? load(fake) : 0;
      cli.out.println(
          "Fake TPNS listening on "
              + url
              + " (plain HTTP"
              + (address.isLoopbackAddress() ? ", loopback only" : "; reachable from the network")
              + "). Ctrl-C stops it"
              + (bindings != null ? " and saves its bindings to " + bindings.toAbsolutePath() : "")
              + ".");
      if (!address.isLoopbackAddress()) {
        cli.out.println(
            "WARNING: listening on "
                + host
                + ": anyone who reaches this port and has the credentials can use it. No TLS.");
      }
      cli.out.println(
          (registered < 0
                  ? "Every token is registered"
                  : registered + " tokens registered (others are refused with 1008006)")
              + "; "
              + loaded
              + " bindings loaded; writes apply "
              + (applyDelay.isZero() ? "at once" : applyDelay.toMillis() + " ms after their answer")
              + ".");
      cli.out.println(
          (credentials != null && !file.equals(credentials)
                  ? "Its credentials are read from "
                      + credentials.toAbsolutePath()
                      + " (left as"
                      + " it is); with its URL, for clients, in "
                  : "Its credentials (and URL) are in ")
              + file.toAbsolutePath()
              + ". In another terminal:");
      cli.out.println("  export TPNS_CREDENTIALS=" + NextStep.path(file));
      cli.out.println("  " + NextStep.tpns4j("import", "--help"));
      cli.out.flush();
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  stopped.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "tpns4j-fake-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      stop.await();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook waits for `stopped` below
      }
      // No request is served from here on, and those being served have ended (close waits for
      // them): every write the fake answered is in the state saved below.
      fake.close();
      if (bindings != null) {
        fake.applyPendingWrites(); // accepted writes apply: what TPNS would hold a moment later
        long saved = save(fake);
        cli.out.println("Saved " + saved + " bindings to " + bindings.toAbsolutePath());
      }
      cli.out.println("Fake TPNS stopped.");
      cli.out.flush();
      return 0;
    } finally {
      fake.close();
      stopped.countDown();
    }
  }

  /**
   * The credentials file the other commands read: {@code --credentials FILE} when this run made it;
   * a file of the user's own is never changed (it may hold real credentials): the clients' copy,
   * with the fake's URL, goes to the temporary directory. Owner-only where the file system allows.
   */
  private Path clientCredentials(FakeTpnsServer fake, String[] idAndKey, String url)
      throws IOException {
    if (credentials != null && !Files.exists(credentials)) {
      writeCredentials(credentials, idAndKey, url);
      return credentials;
    }
    Path file =
        Paths.get(
            System.getProperty("java.io.tmpdir"), "tpns4j-fake-" + portOf(fake) + ".properties");
    writeCredentials(file, idAndKey, url);
    return file;
  }

  private static String portOf(FakeTpnsServer fake) {
    return fake.baseUrl().replaceAll(".*:(\\d+)/$", "$1");
  }

  private static String[] made() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[16];
    random.nextBytes(key);
    StringBuilder secret = new StringBuilder();
    for (byte b : key) {
      secret.append(String.format("%02x", b & 0xff));
    }
    return new String[] {
      "15" + String.format("%08d", random.nextInt(100_000_000)), secret.toString()
    };
  }

  private static String[] read(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new Tpns4j.Failure("cannot read " + file.toAbsolutePath() + ": " + e);
    }
    String id = p.getProperty("access-id");
    String key = p.getProperty("secret-key");
    if (id == null || id.trim().isEmpty() || key == null || key.trim().isEmpty()) {
      throw new Tpns4j.Failure(
          file.toAbsolutePath()
              + " has no access-id or no secret-key; remove it to have new ones made");
    }
    return new String[] {id.trim(), key.trim()};
  }

  /** The credentials file the other commands read: owner-only where the file system allows. */
  private static void writeCredentials(Path file, String[] idAndKey, String url)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("access-id", idAndKey[0]);
    p.setProperty("secret-key", idAndKey[1]);
    p.setProperty("base-url", url);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".tpns4j-fake-", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      try (OutputStream out = Files.newOutputStream(temp)) {
        p.store(out, "tpns4j fake: test credentials, accepted only by the fake at " + url);
      }
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private long registerTokens(FakeTpnsServer fake) throws IOException {
    if (!Files.isRegularFile(tokens)) {
      throw new Tpns4j.Failure("no such file: " + tokens.toAbsolutePath());
    }
    long n = 0;
    long[] rejected = {0};
    try (CsvRows rows = new CsvRows(tokens, RowRules.Shape.TOKENS, r -> rejected[0]++)) {
      for (RowRules.Row r : rows) {
        fake.registerToken(r.token);
        n++;
      }
    }
    if (rejected[0] > 0) {
      cli.out.println("  " + rejected[0] + " rows of " + tokens + " are not tokens; left out");
    }
    fake.setRequireRegisteredTokens(true);
    return n;
  }

  /**
   * Loads {@code --bindings}; refuses to start when a row cannot be loaded: the file is saved over
   * when the fake stops, and a row left out would be lost.
   */
  private long load(FakeTpnsServer fake) throws IOException {
    long n = 0;
    List<String> problems = new ArrayList<>();
    try (CsvRows rows =
        new CsvRows(
            bindings,
            RowRules.Shape.BINDINGS,
            r -> problems.add("line " + r.line + ": " + r.reason))) {
      for (RowRules.Row r : rows) {
        try {
          fake.bind(r.token, r.account);
          n++;
        } catch (IllegalArgumentException e) {
          problems.add("line " + r.line + ": " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Tpns4j.Failure(
          problems.size()
              + " rows of "
              + bindings.toAbsolutePath()
              + " cannot be loaded, and the fake saves its bindings over that file when it stops:"
              + " fix them, or give another --bindings file. "
              + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
              + (problems.size() > 5 ? "; ..." : ""));
    }
    return n;
  }

  /**
   * Saves the bindings over {@code --bindings}, written aside and moved into place. A file the fake
   * did not write (one of the user's, with other columns perhaps) is kept once, as {@code
   * FILE.orig}.
   */
  private long save(FakeTpnsServer fake) throws IOException {
    Path target = bindings.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      FileMark old = FileMark.of(target);
      Path orig = target.resolveSibling(target.getFileName() + ".orig");
      if ((old == null || !old.kind.equals(SAVED)) && !Files.exists(orig)) {
        Files.copy(target, orig);
        cli.out.println("Kept the file it started from as " + orig);
      }
    }
    Path temp =
        Files.createFile(
            target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".tmp"));
    long n = 0;
    try {
      try (java.io.Writer w =
          Files.newBufferedWriter(temp, java.nio.charset.StandardCharsets.UTF_8)) {
        w.write(new FileMark(SAVED, Instant.now(), null, null, null, null).line());
        w.write("\r\n");
        w.write("token,account,account_type\r\n");
        for (Map.Entry<String, Set<Account>> e : fake.bindings().entrySet()) {
          for (Account a : e.getValue()) {
            w.write(
                Csv.line(
                    java.util.Arrays.asList(
                        e.getKey(), a.account(), String.valueOf(a.accountType()))));
            w.write("\r\n");
            n++;
          }
        }
      }
      Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return n;
  }
}
