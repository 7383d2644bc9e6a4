package io.github.tpns4j.cli;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.TpnsBulkStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.cli.csv.CsvRows;
import io.github.tpns4j.cli.csv.FileMark;
import io.github.tpns4j.cli.csv.RowFile;
import io.github.tpns4j.cli.csv.RowRules;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Binds (or with {@code --unbind}, unbinds) the rows of a CSV file through {@code bulkOperate}, and
 * loses no row: each one is done, or lands in exactly one of three files, each importable again.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Binds each row's account to its token (an overwrite: it replaces the token's account of the"
          + " same account_type), or with --unbind removes it. FILE holds token,account[,account_type]"
          + " rows (RFC 4180 CSV; see docs/cli.md). Of two rows of one token and type, the later is"
          + " the one that stays: rows of one token are sent one call after the other, in file"
          + " order.",
      "No row is lost: each is done, or lands in one of rejected-rows.csv (not a valid row: fix it"
          + " in place and import that file), refused-rows.csv (TPNS refused it; fix what the reason"
          + " says) or failed-rows.csv (send it again as is). The summary prints each next step.",
      "Without FILE: a demo of --rows made-up rows against an in-process fake TPNS.",
      "Exit codes: 0 every row done; 1 rows left in the files printed; 2 could not run."
    })
final class ImportCommand implements Callable<Integer> {
  static final String REJECTED = "rejected-rows.csv";
  static final String REFUSED = "refused-rows.csv";
  static final String FAILED = "failed-rows.csv";

  @ParentCommand Tpns4j cli;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "token,account[,account_type] rows; none for the demo")
  Path file;

  @Option(
      names = "--unbind",
      description =
          "Remove each row's account from its token instead (the token's other accounts stay).")
  boolean unbind;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description = "Calls in flight, 1 to 64 (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rows",
      paramLabel = "N",
      defaultValue = "20000",
      description = "Rows the demo makes up (default ${DEFAULT-VALUE}).")
  long demoRows;

  @Option(
      names = "--max-plan-age",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      defaultValue = "1h",
      description =
          "A plan (to-bind.csv, to-unbind.csv) older than this is refused (default"
              + " ${DEFAULT-VALUE}): TPNS and the app may have moved on since it was made.")
  Duration maxPlanAge;

  @Option(
      names = "--apply-stale-plan",
      description =
          "Apply a plan even when it is older than --max-plan-age or its wanted file changed since.")
  boolean applyStalePlan;

  @Mixin OutDir outDir;

  @Mixin Connection.Options credentials;

  @Override
  public Integer call() throws IOException {
    Tpns4j.checkConcurrency(concurrency);
    if (file != null && !Files.isRegularFile(file)) {
      throw new Tpns4j.Failure("no such file: " + file.toAbsolutePath());
    }
    if (unbind && file == null) {
      throw new Tpns4j.Failure("--unbind needs a FILE of token,account[,account_type] rows");
    }
    if (file == null && demoRows < 1) {
      throw new Tpns4j.Failure("--rows is " + demoRows + "; it takes a number from 1 up");
    }
    if (file != null) {
      checkPlan(FileMark.of(file));
    }
    Path dir = outDir.resolve(file == null);
    try (Connection c =
        file == null
            ? Connection.demo(Duration.ofMillis(40))
            : Connection.open(credentials, cli.env)) {
      cli.out.println(c.where);
      return new Run(this, c, dir, cli.out).importRows();
    }
  }

  /** Refuses a plan applied the wrong way, too late, or after its wanted file changed. */
  private void checkPlan(FileMark mark) throws IOException {
    String name = file.getFileName().toString();
    if (mark != null
        && (name.endsWith(".done") || name.endsWith(".superseded"))
        && !applyStalePlan) {
      throw new Tpns4j.Failure(
          file
              + (name.endsWith(".done")
                  ? " is a file whose work a run finished (every row was done or carried into"
                      + " that run's files)"
                  : " is a plan a newer plan from the same wanted file replaced")
              + ": importing it would send old rows again. Nothing was sent. To send them anyway,"
              + " add --apply-stale-plan.");
    }
    if (mark == null || !mark.isPlan()) {
      return;
    }
    String path = file.toAbsolutePath().normalize().toString();
    if (mark.blocked != null) {
      throw new Tpns4j.Failure(
          file
              + " is a plan made while "
              + mark.blocked
              + ": without those rows it could unbind what they meant to keep. It is for review"
              + " only. Fix the wanted file"
              + (mark.source != null ? " (" + mark.source + ")" : "")
              + " and plan again. Nothing was sent");
    }
    if (mark.apply.equals("unbind") != unbind) {
      throw new Tpns4j.Failure(
          file
              + " is a plan of bindings to "
              + (unbind ? "add" : "remove")
              + ": import it "
              + (unbind ? "without" : "with")
              + " --unbind:\n  "
              + command(path, !unbind));
    }
    if (applyStalePlan) {
      return;
    }
    Duration age = Duration.between(mark.made, Instant.now());
    String why = null;
    if (age.compareTo(maxPlanAge) > 0) {
      why =
          "it was made "
              + human(age)
              + " ago (at "
              + mark.made
              + "), over --max-plan-age ("
              + human(maxPlanAge)
              + ")";
    } else if (mark.source != null) {
      Path source = java.nio.file.Paths.get(mark.source);
      if (!Files.isRegularFile(source)) {
        why = "the wanted file it was made from, " + mark.source + ", is gone";
      } else if (mark.sourceSha256 != null && !mark.sourceSha256.equals(FileMark.sha256(source))) {
        why = "the wanted file it was made from, " + mark.source + ", has changed since";
      }
    }
    if (why == null) {
      return;
    }
    StringBuilder m =
        new StringBuilder(file.toString())
            .append(" is a plan that may no longer be right: ")
            .append(why)
            .append(
                ". Applying it could undo what happened since (a user who logged out bound again)."
                    + " Nothing was sent.");
    if (mark.source != null && Files.isRegularFile(java.nio.file.Paths.get(mark.source))) {
      List<String> args = new ArrayList<>();
      args.add("reconcile");
      args.add(mark.source);
      args.add("--out-dir");
      args.add(file.toAbsolutePath().normalize().getParent().toString());
      credentials.addTo(args);
      m.append(" Make a new plan with:\n  ").append(NextStep.tpns4j(args.toArray(new String[0])));
    }
    m.append(
            mark.source != null && Files.isRegularFile(java.nio.file.Paths.get(mark.source))
                ? "\nor apply this one anyway with:\n  "
                : " To apply this one anyway:\n  ")
        .append(command(path, unbind))
        .append(" --apply-stale-plan");
    throw new Tpns4j.Failure(m.toString());
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200 && s % 3600 != 0) {
      return s / 60 + " min";
    }
    return s < 172800 ? s / 3600 + " h" : s / 86400 + " days";
  }

  /** The command that imports {@code path} the same way, to paste anywhere. */
  String command(String path, boolean withUnbind) {
    List<String> args = new ArrayList<>();
    args.add("import");
    args.add(path);
    if (withUnbind) {
      args.add("--unbind");
    }
    outDir.addTo(args);
    credentials.addTo(args);
    return NextStep.tpns4j(args.toArray(new String[0]));
  }

  static boolean isRefusedForGood(ItemResult item) {
    return Refusals.isRefusedForGood(item.code());
  }

  /** What a per-item code means and what to do about it. */
  static String meaning(String code) {
    return Refusals.meaning(code);
  }

  static String demoToken(long i) {
    return String.format("demo-token-%08d", i);
  }

  /** One import: the client, the files, the accounting. */
  static final class Run {
    private final ImportCommand o;
    private final Connection c;
    private final Path dir;
    private final PrintStream out;
    private final Path input; // real path; null for the demo

    Run(ImportCommand o, Connection c, Path dir, PrintStream out) throws IOException {
      this.o = o;
      this.c = c;
      this.dir = dir;
      this.out = out;
      this.input = o.file == null ? null : o.file.toRealPath();
    }

    private String output(String name) {
      return o.unbind ? name.replace("-rows.csv", "-unbind-rows.csv") : name;
    }

    int importRows() throws IOException {
      // Ctrl-C: no summary can be made, so say what holds and what to do
      Thread interrupted =
          new Thread(
              () ->
                  out.println(
                      "\nInterrupted: the rows sent so far are done in TPNS, and no file of rows"
                          + " left was written. Run the same import again: sending a row again does"
                          + " no harm (binds and unbinds are idempotent)."));
      Runtime.getRuntime().addShutdownHook(interrupted);
      try {
        return importRowsOnce();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(interrupted);
        } catch (IllegalStateException e) {
          // shutting down already
        }
      }
    }

    private int importRowsOnce() throws IOException {
      RowRules.Shape shape = RowRules.Shape.BINDINGS;
      long total = input == null ? o.demoRows : CsvRows.count(input, shape);
      if (input == null) {
        prepareDemo();
        out.println("The demo's files go to " + dir);
      }
      out.println(
          (o.unbind ? "Unbinding " : "Binding ")
              + total
              + " rows from "
              + (input == null ? "made-up demo data" : input)
              + " with "
              + o.concurrency
              + " calls in flight");
      Instant now = Instant.now();
      String source = input == null ? null : input.toString();
      FileMark inMark = input == null ? null : FileMark.of(input);
      RowFile[] rejectedRef = new RowFile[1];
      try (CsvRows csvRows =
              input == null
                  ? null
                  : new CsvRows(
                      input,
                      shape,
                      r -> rejectedRef[0].write(Long.toString(r.line), r.reason, r.original));
          RowFile rejected =
              new RowFile(
                  dir,
                  input,
                  output(REJECTED),
                  () ->
                      new FileMark(
                          "rejected-rows",
                          now,
                          inMark != null && inMark.kind.startsWith("rejected")
                              ? inMark.source
                              : source,
                          null,
                          csvRowsHeader(inMark),
                          null),
                  "line",
                  "reason",
                  "original row");
          RowFile refused =
              new RowFile(
                  dir,
                  input,
                  output(REFUSED),
                  () -> new FileMark("refused-rows", now, source, null, null, null),
                  "token",
                  "account",
                  "account_type",
                  "code",
                  "reason");
          RowFile failed =
              new RowFile(
                  dir,
                  input,
                  output(FAILED),
                  () -> new FileMark("failed-rows", now, source, null, null, null),
                  "token",
                  "account",
                  "account_type")) {
        rejectedRef[0] = rejected;
        header = csvRows;
        Iterator<TokenAccounts> rows =
            csvRows == null ? demoRows(o.demoRows) : bindings(csvRows.iterator());
        Iterable<TokenAccounts> once = () -> rows;
        Progress progress =
            new Progress(
                total,
                "rows",
                System.console() != null,
                csvRows == null ? () -> 0L : csvRows::rejected,
                out);
        long start = System.nanoTime();
        BulkResult result;
        TpnsBulkStoppedException stop = null;
        try {
          result =
              c.client.bulkOperate(
                  (o.unbind ? BulkRequest.deleteAccounts(once) : BulkRequest.overwrite(once))
                      .concurrency(o.concurrency)
                      .onProgress(progress));
        } catch (TpnsBulkStoppedException e) {
          stop = e;
          result = e.partialResult();
        }
        progress.finish();
        Map<String, Integer> refusedByCode = new TreeMap<>();
        Map<String, Integer> failedByCode = new TreeMap<>(); // whole calls refused: fix, resend
        long noAnswer = 0; // no code: never sent (taken back at a stop), or no answer came
        Iterator<?> failedRows = result.retryFailed().input().iterator();
        for (ItemResult item : result.failures()) {
          TokenAccounts row = (TokenAccounts) failedRows.next();
          if (!isRefusedForGood(item)) {
            write(failed, row);
            if (item.code() == null) {
              noAnswer++;
            } else if (!item.isRetryable()) {
              failedByCode.merge(item.code(), 1, Integer::sum);
            }
          } else {
            refusedByCode.merge(item.code(), 1, Integer::sum);
            write(refused, row, item.code(), meaning(item.code()));
          }
        }
        long notSent = 0;
        while (stop != null && rows.hasNext()) { // the rest of the input, read but never sent
          write(failed, rows.next());
          notSent++;
        }
        // Every row is now done or in a file: only now may an output replace this run's input.
        rejected.commit();
        refused.commit();
        failed.commit();
        long rejectedRows = csvRows == null ? 0 : csvRows.rejected();
        long read = csvRows == null ? o.demoRows : csvRows.records();
        out.printf(
            "Done in %.1f s: %d rows read, %d rejected, %d %s, %d refused, %d to retry%s, in %d"
                + " calls%n",
            (System.nanoTime() - start) / 1e9,
            read,
            rejectedRows,
            result.itemsSucceeded(),
            o.unbind ? "unbound" : "bound",
            refused.rows(),
            failed.rows(),
            notSent > 0 ? " (" + notSent + " of them past the stop, never sent)" : "",
            result.calls());
        refusedByCode.forEach(
            (code, n) ->
                out.println("  refused with " + code + " (" + ResultCode.of(code) + "): " + n));
        failedByCode.forEach(
            (code, n) ->
                out.println(
                    "  "
                        + n
                        + " rows to retry were refused with "
                        + code
                        + " ("
                        + ResultCode.of(code)
                        + ") for their whole call, not for themselves: fix that first (the"
                        + " credentials, the app), then send them again"));
        if (noAnswer > 0) {
          out.println(
              "  "
                  + noAnswer
                  + " rows to retry got no answer: their call failed before TPNS answered, or the"
                  + " run stopped before sending it");
        }
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
            " rows that are not valid are in %s (line,reason,original row; lines of "
                + (source == null ? "the input" : "the file they came from")
                + "). Fix each original row in place, then import that file:");
        nextStep(
            refused,
            " rows TPNS refused are in %s (with code and reason); sent unchanged they fail again."
                + " Fix what the reason says, then import that file:");
        nextStep(failed, " rows to send again are in %s. Send them with:");
        retireInput(inMark, rejected, refused, failed);
        return rejected.rows() + refused.rows() + failed.rows() == 0 && stop == null ? 0 : 1;
      }
    }

    private CsvRows header;

    /** The header the rejected rows' original text is in: the source's, kept across re-imports. */
    private List<String> csvRowsHeader(FileMark inMark) {
      if (inMark != null && inMark.kind.startsWith("rejected")) {
        return inMark.sourceHeader;
      }
      return header == null ? null : header.header();
    }

    /**
     * A file tpns4j wrote (a plan, a file of rows left) whose every row is now done or carried into
     * this run's files holds no work: renamed {@code NAME.done}, so that every {@code .csv} file
     * tpns4j wrote still holds work. A file the user made is never renamed.
     */
    private void retireInput(FileMark inMark, RowFile... outputs) throws IOException {
      if (input == null || inMark == null || !inMark.holdsWork() || !Files.exists(input)) {
        return;
      }
      for (RowFile f : outputs) {
        if (f.target() != null && Files.isSameFile(f.target(), input)) {
          out.println(
              input.getFileName()
                  + " now holds only the "
                  + f.rows()
                  + " rows still to do (it was read to its end first).");
          return;
        }
      }
      Path done = RowFile.retire(input);
      long left = 0;
      for (RowFile f : outputs) {
        left += f.rows();
      }
      out.println(
          input.getFileName()
              + (left == 0
                  ? ": every row of it is done."
                  : ": every row of it is done or in the files above.")
              + " Renamed to "
              + done.getFileName()
              + " (nothing left in it to import).");
    }

    private static void write(RowFile file, TokenAccounts row, String... more) {
      for (Account a : row.accounts()) {
        String[] fields = new String[3 + more.length];
        fields[0] = row.token();
        fields[1] = a.account();
        fields[2] = a.accountType() == null ? "" : a.accountType().toString();
        System.arraycopy(more, 0, fields, 3, more.length);
        file.write(fields);
      }
    }

    /** What is in {@code file}, and the whole command that imports it. */
    private void nextStep(RowFile file, String what) {
      if (file.rows() == 0) {
        return;
      }
      if (input == null) {
        out.println(
            file.rows()
                + String.format(" demo rows are in %s.", file.target())
                + " Nothing to run: the in-process fake refused them on purpose, and it is gone."
                + " With a file of yours, this is where the command to import such rows again is"
                + " printed.");
        return;
      }
      out.println(file.rows() + String.format(what, file.target()));
      out.println("  " + o.command(file.target().toString(), o.unbind));
    }

    private void prepareDemo() {
      // every 997th token is unknown to the fake, so that some rows are refused with 1008006
      c.demoFake.setRequireRegisteredTokens(true);
      for (long i = 0; i < o.demoRows; i++) {
        if (i % 997 != 500) {
          c.demoFake.registerToken(demoToken(i));
        }
      }
    }

    private static Iterator<TokenAccounts> bindings(Iterator<RowRules.Row> rows) {
      return new Iterator<TokenAccounts>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public TokenAccounts next() {
          return rows.next().binding();
        }
      };
    }

    static Iterator<TokenAccounts> demoRows(long n) {
      return new Iterator<TokenAccounts>() {
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
  }
}
