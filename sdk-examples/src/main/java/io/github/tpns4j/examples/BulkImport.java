package io.github.tpns4j.examples;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkProgressListener;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Binds (token, account) rows from a CSV file through {@code bulkOperate}, in one run however messy
 * the file: malformed rows go to {@code rejected-rows.csv} ({@code line,reason,original row}), rows
 * TPNS refused (and rows never sent, if the run stopped) to {@code failed-rows.csv} (the input's
 * columns, readable back), and the summary prints the command that retries them.
 *
 * <pre>
 * BulkImport [FILE.csv] [--rows N] [--concurrency N] [--out-dir DIR]
 * </pre>
 *
 * <p>The file is {@code token,account[,account_type]}, read with {@link CsvRows}. Without a file, N
 * demo rows are generated (default 20 000); against the fake server a few of their tokens are left
 * unregistered so that the failure path shows too. Exit code: 0 when every row was bound, 1 when
 * some were rejected or failed, 2 for a usage error.
 */
public final class BulkImport {
  static final String REJECTED = "rejected-rows.csv";
  static final String FAILED = "failed-rows.csv";
  static final String RETRY_COMMAND =
      "mvn -B -q -pl sdk-examples exec:java -Dexample=io.github.tpns4j.examples.BulkImport"
          + " -Dexec.args=\"%s\"";

  public static void main(String[] args) {
    int code = run(args, () -> ExampleEnvironment.fromEnv(Duration.ofMillis(40)), System.out);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** A usage error: one clear line, exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The command line, checked before anything starts. */
  static final class Options {
    Path file;
    long demoRows = 20_000;
    int concurrency = 8;
    Path outDir = Paths.get(".");

    static Options parse(String[] args) throws UsageException {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--rows":
            o.demoRows = number(a, value(args, ++i, a), 1, Long.MAX_VALUE);
            break;
          case "--concurrency":
            o.concurrency = (int) number(a, value(args, ++i, a), 1, BulkRequest.MAX_CONCURRENCY);
            break;
          case "--out-dir":
            o.outDir = Paths.get(value(args, ++i, a));
            break;
          default:
            if (a.startsWith("--") || o.file != null) {
              throw new UsageException("unexpected argument \"" + a + "\"");
            }
            o.file = Paths.get(a);
        }
      }
      if (o.file != null && !Files.isRegularFile(o.file)) {
        throw new UsageException("no such file: " + o.file.toAbsolutePath());
      }
      if (!Files.isDirectory(o.outDir)) {
        throw new UsageException("--out-dir " + o.outDir + " is not a directory");
      }
      return o;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
      if (i >= args.length) {
        throw new UsageException(option + " needs a value");
      }
      return args[i];
    }

    private static long number(String option, String v, long min, long max) throws UsageException {
      try {
        long n = Long.parseLong(v.trim());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new UsageException(
          option + " is \"" + v + "\"; it takes a number from " + min + " to " + max);
    }
  }

  static int run(String[] args, Supplier<ExampleEnvironment> environment, PrintStream out) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (UsageException e) {
      out.println("BulkImport: " + e.getMessage());
      out.println(
          "usage: BulkImport [FILE.csv] [--rows N] [--concurrency N] [--out-dir DIR]"
              + "   (FILE: token,account[,account_type])");
      return 2;
    }
    try (ExampleEnvironment env = environment.get()) {
      return new BulkImport(o, env, out).importRows();
    } catch (IOException | UncheckedIOException e) {
      out.println("BulkImport: " + e);
      return 2;
    }
  }

  private final Options options;
  private final ExampleEnvironment env;
  private final PrintStream out;
  private final Path rejectedFile;
  private final Path failedFile;
  private final CsvMapper csv = new CsvMapper();

  private BulkImport(Options options, ExampleEnvironment env, PrintStream out) {
    this.options = options;
    this.env = env;
    this.out = out;
    this.rejectedFile = options.outDir.resolve(REJECTED).toAbsolutePath().normalize();
    this.failedFile = options.outDir.resolve(FAILED).toAbsolutePath().normalize();
  }

  private int importRows() throws IOException {
    // Each run replaces both files; one left empty is removed at the end.
    Files.deleteIfExists(rejectedFile);
    Files.deleteIfExists(failedFile);
    long total = options.file == null ? options.demoRows : CsvRows.count(options.file);
    if (options.file == null) {
      prepareDemo();
    }
    out.println(
        "Binding "
            + total
            + " rows from "
            + (options.file == null ? "generated demo data" : options.file)
            + " with "
            + options.concurrency
            + " calls in flight");
    try (RowFile rejected = new RowFile(rejectedFile, "line", "reason", "original row");
        CsvRows csvRows = options.file == null ? null : new CsvRows(options.file, rejected::row)) {
      Iterator<TokenAccounts> input =
          (csvRows != null ? csvRows : demoRows(options.demoRows)).iterator();
      Iterable<TokenAccounts> once = () -> input;
      Progress progress =
          new Progress(
              total, System.console() != null, csvRows == null ? () -> 0L : csvRows::rejected, out);
      long start = System.nanoTime();
      BulkResult result;
      TpnsBulkStoppedException stop = null;
      try {
        result =
            env.client.bulkOperate(
                BulkRequest.overwrite(once).concurrency(options.concurrency).onProgress(progress));
      } catch (TpnsBulkStoppedException e) {
        stop = e;
        result = e.partialResult();
      }
      progress.finish();
      long notSent;
      try (RowFile failed = new RowFile(failedFile, "token", "account", "account_type")) {
        for (Object row : result.retryFailed().input()) {
          failed.tokenAccounts((TokenAccounts) row);
        }
        notSent = 0;
        while (stop != null && input.hasNext()) { // the rest of the input, read but never sent
          failed.tokenAccounts(input.next());
          notSent++;
        }
      }
      long rejectedRows = csvRows == null ? 0 : csvRows.rejected();
      long read = csvRows == null ? options.demoRows : csvRows.records();
      summary(result, stop, read, rejectedRows, notSent, (System.nanoTime() - start) / 1e9);
      return result.failures().isEmpty() && rejectedRows == 0 && notSent == 0 && stop == null
          ? 0
          : 1;
    }
  }

  private void summary(
      BulkResult result,
      TpnsBulkStoppedException stop,
      long read,
      long rejected,
      long notSent,
      double seconds) {
    long failed = result.failures().size();
    out.printf(
        "Done in %.1f s: %d rows read, %d rejected, %d bound, %d failed%s, in %d calls%n",
        seconds,
        read,
        rejected,
        result.itemsSucceeded(),
        failed,
        notSent > 0 ? ", " + notSent + " not sent" : "",
        result.calls());
    Map<String, Integer> byCode = new TreeMap<>();
    for (ItemResult f : result.failures()) {
      byCode.merge(f.code() == null ? "no answer" : f.code(), 1, Integer::sum);
    }
    byCode.forEach((code, n) -> out.println("  failed with " + code + ": " + n));
    for (TpnsException e : result.errors()) {
      out.println("  a call failed as a whole: " + e.getMessage());
    }
    if (stop != null) {
      out.println("Stopped early: " + stop.getCause());
      out.println("  (" + stop.getCause().getClass().getSimpleName() + "; fix that first)");
    }
    if (rejected > 0) {
      out.println(
          rejected
              + " malformed rows are in "
              + rejectedFile.toAbsolutePath()
              + " (line,reason,original row); fix them and import that file's rows again");
    }
    if (failed + notSent > 0) {
      out.println(failed + notSent + " rows to retry are in " + failedFile.toAbsolutePath());
      out.println("Retry them with:");
      out.println("  " + String.format(RETRY_COMMAND, failedFile.toAbsolutePath()));
    }
  }

  /** A CSV output file with a header, created on its first row; removed if it got none. */
  private final class RowFile implements AutoCloseable {
    private final Path path;
    private final String[] header;
    private Writer writer;
    private SequenceWriter rows;

    RowFile(Path path, String... header) {
      this.path = path;
      this.header = header;
    }

    private void write(String... fields) {
      try {
        if (rows == null) {
          writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
          rows = csv.writerFor(String[].class).writeValues(writer);
          rows.write(header);
        }
        rows.write(fields);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void row(long line, String reason, List<String> fields) {
      StringBuilder original = new StringBuilder();
      try {
        original.append(
            csv.writerFor(String[].class).writeValueAsString(fields.toArray(new String[0])).trim());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      write(Long.toString(line), reason, original.toString());
    }

    void tokenAccounts(TokenAccounts row) {
      for (Account a : row.accounts()) {
        write(row.token(), a.account(), a.accountType() == null ? "" : a.accountType().toString());
      }
    }

    @Override
    public void close() throws IOException {
      if (rows != null) {
        rows.close();
        writer.close();
      }
    }
  }

  // ---- demo input

  static String demoToken(long i) {
    return String.format("demo-token-%08d", i);
  }

  private void prepareDemo() {
    if (env.fake != null) {
      // demo: every 997th token is unknown to the fake, so some rows fail with 1008006
      env.fake.setRequireRegisteredTokens(true);
      for (long i = 0; i < options.demoRows; i++) {
        if (i % 997 != 500) {
          env.fake.registerToken(demoToken(i));
        }
      }
    }
  }

  static Iterable<TokenAccounts> demoRows(long n) {
    return () ->
        new Iterator<TokenAccounts>() {
          long i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          public TokenAccounts next() {
            if (i >= n) {
              throw new NoSuchElementException();
            }
            long k = i++;
            return TokenAccounts.of(demoToken(k), Account.of("user-" + k + "@example.com", 1005));
          }
        };
  }

  // ---- progress

  /**
   * A progress bar on a terminal; plain lines every 2 seconds otherwise. Rows done are rows
   * answered plus rows rejected, never more than the total. Called on the bulk run's thread.
   */
  static final class Progress implements BulkProgressListener {
    private final long total;
    private final boolean tty;
    private final Supplier<Long> rejected;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long lastDone;

    Progress(long total, boolean tty, Supplier<Long> rejected, PrintStream out) {
      this.total = total;
      this.tty = tty;
      this.rejected = rejected;
      this.out = out;
    }

    @Override
    public void onProgress(long itemsDone, long callsDone) {
      long done = Math.min(total, itemsDone + rejected.get());
      lastDone = done;
      long now = System.nanoTime();
      long every = tty ? 100_000_000L : 2_000_000_000L;
      if (now - lastPrint >= every) {
        lastPrint = now;
        print(done, now);
      }
    }

    private void print(long done, long now) {
      double seconds = Math.max(1e-3, (now - start) / 1e9);
      double rate = done / seconds;
      long eta = rate > 0 && total > done ? Math.round((total - done) / rate) : 0;
      int pct = total <= 0 ? 100 : (int) Math.min(100, 100 * done / total);
      if (tty) {
        int width = 30;
        int filled = width * pct / 100;
        StringBuilder bar = new StringBuilder("\r[");
        for (int i = 0; i < width; i++) {
          bar.append(i < filled ? '#' : '.');
        }
        out.printf(
            "%s] %3d%% %,d/%,d rows  %,.0f rows/s  ETA %ds   ", bar, pct, done, total, rate, eta);
        out.flush();
      } else {
        out.printf(
            "progress: %d/%d rows (%d%%), %.0f rows/s, ETA %d s%n", done, total, pct, rate, eta);
      }
    }

    void finish() {
      if (tty) {
        print(lastDone, System.nanoTime());
        out.println();
      }
    }
  }
}
