package io.github.tpns4j.examples;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkProgressListener;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds (token, account) rows from a CSV file through {@code bulkOperate}, in one run however messy
 * the file, and loses no row: each one is bound, or lands in exactly one of three files, each
 * readable back by this program:
 *
 * <ul>
 *   <li>{@code rejected-rows.csv} ({@code line,reason,original row}): rows that are not a valid
 *       {@code token,account[,account_type]}, with their line numbers; fix the original row in
 *       place and import the file;
 *   <li>{@code refused-rows.csv} ({@code token,account,account_type,code,reason}): rows TPNS
 *       refused with a code that fails again until something is fixed (an unregistered token, an
 *       account already bound to 100 tokens);
 *   <li>{@code failed-rows.csv} ({@code token,account,account_type}): rows worth sending again
 *       unchanged (no answer, a rate limit, an internal error, never sent because the run stopped).
 * </ul>
 *
 * <pre>
 * BulkImport [FILE.csv] [--unbind] [--rows N] [--concurrency N] [--out-dir DIR]
 * </pre>
 *
 * <p>With {@code --unbind}, each row's account is removed from its token instead ({@code
 * deleteAccounts}; the token's other accounts stay), and the three files are named {@code
 * rejected-unbind-rows.csv}, {@code refused-unbind-rows.csv} and {@code failed-unbind-rows.csv}:
 * {@code Reconcile} prints such a command for its {@code to-unbind.csv}.
 *
 * <p>The file is RFC 4180 CSV, read with {@link CsvRows}. Without a file, N demo rows are generated
 * (default 20 000); against the fake server a few of their tokens are left unregistered so that the
 * refused path shows too. No run deletes or overwrites a file it reads, nor an earlier run's
 * output: outputs are written aside and moved into place at the end, under a fresh name ({@code
 * failed-rows-1.csv}) when the name is taken by anything but this run's own input, which has been
 * read to its end by then. The summary prints each next step as a whole command. Exit code: 0 when
 * every row was bound, 1 when some rows are left (in the files above), 2 when the import could not
 * run (a usage error, an unreadable file, no credentials for a file given).
 */
public final class BulkImport {
  static final String REJECTED = "rejected-rows.csv";
  static final String REFUSED = "refused-rows.csv";
  static final String FAILED = "failed-rows.csv";
  static final String COMMAND =
      "mvn -B -q -pl sdk-examples exec:java -Dexample=io.github.tpns4j.examples.BulkImport";

  public static void main(String[] args) {
    int code;
    try {
      code =
          run(
              args,
              realInput -> ExampleEnvironment.fromEnv(Duration.ofMillis(40), realInput),
              System.out);
    } catch (Throwable t) {
      System.out.println("BulkImport: stopped by an unexpected error: " + t);
      code = 2;
    }
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
    boolean outDirGiven;
    boolean unbind;

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
            o.outDirGiven = true;
            break;
          case "--unbind":
            o.unbind = true;
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
      if (o.unbind && o.file == null) {
        throw new UsageException("--unbind needs a FILE of token,account[,account_type] rows");
      }
      return o;
    }

    /** An output's name: {@code failed-rows.csv}, or {@code failed-unbind-rows.csv}. */
    String output(String name) {
      return unbind ? name.replace("-rows.csv", "-unbind-rows.csv") : name;
    }

    static String value(String[] args, int i, String option) throws UsageException {
      if (i >= args.length) {
        throw new UsageException(option + " needs a value");
      }
      return args[i];
    }

    static long number(String option, String v, long min, long max) throws UsageException {
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

  /**
   * @param environment the client to use, given whether the user gave a file (real input, which
   *     needs credentials) or asked for the demo
   */
  static int run(
      String[] args, Function<Boolean, ExampleEnvironment> environment, PrintStream out) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (UsageException e) {
      out.println("BulkImport: " + e.getMessage());
      out.println(
          "usage: BulkImport [FILE.csv] [--unbind] [--rows N] [--concurrency N] [--out-dir DIR]"
              + "   (FILE: token,account[,account_type])");
      return 2;
    }
    try (ExampleEnvironment env = environment.apply(o.file != null)) {
      return run(o, env, out);
    } catch (ExampleEnvironment.MissingCredentials e) {
      out.println("BulkImport: " + e.getMessage());
      return 2;
    }
  }

  /** Imports with a client the caller owns (and closes): how {@code Reconcile --apply} applies. */
  static int run(Options o, ExampleEnvironment env, PrintStream out) {
    try {
      return new BulkImport(o, env, out).importRows();
    } catch (IOException | UncheckedIOException e) {
      out.println("BulkImport: could not read or write a file: " + e.getMessage());
      return 2;
    }
  }

  private final Options options;
  private final ExampleEnvironment env;
  private final PrintStream out;
  private final Path input; // the file read, as a real path; null for demo rows

  private BulkImport(Options options, ExampleEnvironment env, PrintStream out) throws IOException {
    this.options = options;
    this.env = env;
    this.out = out;
    this.input = options.file == null ? null : options.file.toRealPath();
  }

  private int importRows() throws IOException {
    long total = options.file == null ? options.demoRows : CsvRows.count(options.file);
    if (options.file == null) {
      prepareDemo();
    }
    out.println(
        (options.unbind ? "Unbinding " : "Binding ")
            + total
            + " rows from "
            + (options.file == null ? "generated demo data" : options.file)
            + " with "
            + options.concurrency
            + " calls in flight");
    try (RowFile rejected =
            new RowFile(
                options.outDir, input, options.output(REJECTED), "line", "reason", "original row");
        RowFile refused =
            new RowFile(
                options.outDir,
                input,
                options.output(REFUSED),
                "token",
                "account",
                "account_type",
                "code",
                "reason");
        RowFile failed =
            new RowFile(
                options.outDir, input, options.output(FAILED), "token", "account", "account_type");
        CsvRows csvRows =
            options.file == null
                ? null
                : new CsvRows(
                    options.file,
                    (line, reason, original) ->
                        rejected.write(Long.toString(line), reason, original))) {
      Iterator<TokenAccounts> rows =
          (csvRows != null ? csvRows : demoRows(options.demoRows)).iterator();
      Iterable<TokenAccounts> once = () -> rows;
      Progress progress =
          new Progress(
              total, System.console() != null, csvRows == null ? () -> 0L : csvRows::rejected, out);
      long start = System.nanoTime();
      BulkResult result;
      TpnsBulkStoppedException stop = null;
      try {
        result =
            env.client.bulkOperate(
                (options.unbind ? BulkRequest.deleteAccounts(once) : BulkRequest.overwrite(once))
                    .concurrency(options.concurrency)
                    .onProgress(progress));
      } catch (TpnsBulkStoppedException e) {
        stop = e;
        result = e.partialResult();
      }
      progress.finish();
      Map<String, Integer> refusedByCode = new TreeMap<>();
      Iterator<?> failedRows = result.retryFailed().input().iterator();
      for (ItemResult item : result.failures()) {
        TokenAccounts row = (TokenAccounts) failedRows.next();
        if (item.isRetryable()) {
          failed.tokenAccounts(row);
        } else {
          refusedByCode.merge(item.code(), 1, Integer::sum);
          refused.tokenAccounts(row, item.code(), meaning(item.code()));
        }
      }
      long notSent = 0;
      while (stop != null && rows.hasNext()) { // the rest of the input, read but never sent
        failed.tokenAccounts(rows.next());
        notSent++;
      }
      // Every row is now bound or in a file: only now may an output replace this run's input.
      rejected.commit();
      refused.commit();
      failed.commit();
      long rejectedRows = csvRows == null ? 0 : csvRows.rejected();
      long read = csvRows == null ? options.demoRows : csvRows.records();
      summary(
          result,
          stop,
          read,
          rejectedRows,
          notSent,
          refusedByCode,
          rejected,
          refused,
          failed,
          (System.nanoTime() - start) / 1e9);
      return rejected.rows + refused.rows + failed.rows == 0 && stop == null ? 0 : 1;
    }
  }

  /** What a per-item code means and what to do about it. */
  static String meaning(String code) {
    switch (code == null ? "" : code) {
      case "1008006":
        return "token not registered with this app: check the token and the app; a device gets a"
            + " new token after reinstalling";
      case "1008007":
        return "refused parameter, e.g. an account already bound to 100 tokens: unbind some first";
      case "1008029":
        return "illegal token: check the token's value";
      default:
        return "see https://cloud.tencent.com/document/product/548/39080";
    }
  }

  /** The command that imports {@code file}, to paste in the directory this run started in. */
  private String command(Path file) {
    String path = quoteArg(file.toAbsolutePath().toString());
    String outDir =
        options.outDirGiven
            ? " --out-dir " + quoteArg(options.outDir.toAbsolutePath().normalize().toString())
            : "";
    return COMMAND + " -Dexec.args=\"" + path + (options.unbind ? " --unbind" : "") + outDir + "\"";
  }

  static String quoteArg(String s) {
    return s.indexOf(' ') >= 0 || s.indexOf('"') >= 0 ? "'" + s + "'" : s;
  }

  private void summary(
      BulkResult result,
      TpnsBulkStoppedException stop,
      long read,
      long rejectedRows,
      long notSent,
      Map<String, Integer> refusedByCode,
      RowFile rejected,
      RowFile refused,
      RowFile failed,
      double seconds) {
    out.printf(
        "Done in %.1f s: %d rows read, %d rejected, %d %s, %d refused, %d to retry%s, in %d"
            + " calls%n",
        seconds,
        read,
        rejectedRows,
        result.itemsSucceeded(),
        options.unbind ? "unbound" : "bound",
        refused.rows,
        failed.rows,
        notSent > 0 ? " (" + notSent + " of them not sent)" : "",
        result.calls());
    refusedByCode.forEach(
        (code, n) ->
            out.println("  refused with " + code + " (" + ResultCode.of(code) + "): " + n));
    if (result.callsFailed() > 0) {
      out.println(
          "  "
              + result.callsFailed()
              + " calls failed as a whole after their retries; the first: "
              + result.errors().get(0).getMessage());
    }
    if (stop != null) {
      out.println("Stopped early: " + stop.getCause());
      out.println("  (" + stop.getCause().getClass().getSimpleName() + "; fix that first)");
    }
    nextStep(
        rejected,
        " malformed rows are in %s (line,reason,original row). Fix the original row in place, then"
            + " import that file:");
    nextStep(
        refused,
        " rows TPNS refused are in %s (with code and reason); sent unchanged they fail again. Fix"
            + " what the reason says, then import that file:");
    nextStep(failed, " rows to retry are in %s. Retry them with:");
  }

  /**
   * What is in {@code file}, and the whole command that imports it. Not in the demo: its rows were
   * made up and refused by the in-process fake, which is gone, and a file needs real TPNS.
   */
  private void nextStep(RowFile file, String what) {
    if (file.rows == 0) {
      return;
    }
    if (options.file == null && env.fake != null) {
      out.println(
          file.rows
              + String.format(" demo rows are in %s.", file.target)
              + " Nothing to run: the in-process fake refused them on purpose. With a file of"
              + " yours and TPNS_ACCESS_ID/TPNS_SECRET_KEY set, this is where the command to"
              + " import such rows again is printed.");
      return;
    }
    out.println(file.rows + String.format(what, file.target));
    out.println("  " + command(file.target));
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
