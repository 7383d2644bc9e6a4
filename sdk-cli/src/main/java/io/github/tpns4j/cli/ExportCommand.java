package io.github.tpns4j.cli;

import io.github.tpns4j.TpnsBulkQueryStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkQueryHandler;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.cli.csv.CsvRows;
import io.github.tpns4j.cli.csv.FileMark;
import io.github.tpns4j.cli.csv.RowFile;
import io.github.tpns4j.cli.csv.RowRules;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Bindings to CSV through {@code bulkQuery}: the single-machine twin of the Spark export. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Asks TPNS for the tokens of each account of --accounts FILE (account[,account_type] rows;"
          + " no type is 0), or the accounts of each token of --tokens FILE, and writes what it"
          + " finds to bindings.csv (token,account,account_type).",
      "Keys with no binding go to no-binding-accounts.csv / no-binding-tokens.csv; keys TPNS did"
          + " not answer go to unanswered-accounts.csv / unanswered-tokens.csv (export that file to"
          + " ask again); rows that are not valid keys to rejected-keys.csv.",
      "Exit codes: 0 every key answered; 1 keys left in the files printed; 2 could not run."
    })
final class ExportCommand implements Callable<Integer> {
  static final String BINDINGS = "bindings.csv";

  @ParentCommand Tpns4j cli;

  static final class Keys {
    @Option(
        names = "--accounts",
        paramLabel = "FILE",
        required = true,
        description = "account[,account_type] rows: export their tokens")
    Path accounts;

    @Option(
        names = "--tokens",
        paramLabel = "FILE",
        required = true,
        description = "token rows: export their accounts")
    Path tokens;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Keys keys;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "Calls in flight, 1 to 64 (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Mixin OutDir outDir;

  @Mixin Connection.Options credentials;

  /** What one bulk query did. */
  private static final class Outcome {
    long found;
    long answered;
    List<ItemResult> failures;
    String stopped; // why it stopped early, or null
  }

  /**
   * Runs one bulk query over {@code keys}: each answer to {@code handler}; each key not answered (a
   * failure, or never asked because the run stopped) to {@code unanswered}, once.
   */
  private static <K, V> Outcome query(
      Connection c,
      BulkQueryRequest<K, V> request,
      List<K> keys,
      BulkQueryHandler<K, V> handler,
      Function<ItemResult, K> keyOf,
      Consumer<K> unanswered) {
    Outcome o = new Outcome();
    BulkQueryResult<K, V> result;
    long rest = keys.size(); // index of the first key never asked about
    try {
      result = c.client.bulkQuery(request, handler);
    } catch (TpnsBulkQueryStoppedException e) {
      result = e.partialResult(request);
      rest = e.inputIndex();
      o.stopped = String.valueOf(e.getCause());
    }
    for (ItemResult f : result.failures()) {
      unanswered.accept(keyOf.apply(f));
    }
    for (long i = rest; i < keys.size(); i++) {
      unanswered.accept(keys.get((int) i));
    }
    o.found = result.bindingsFound();
    o.answered = result.keysAnswered();
    o.failures = result.failures();
    return o;
  }

  /**
   * An {@code unanswered-...csv} asked about again holds no work once every key of it is answered
   * or back in this run's file: renamed {@code .done}, as {@code import} does.
   */
  private static void retireInput(Path input, RowFile unanswered, PrintStream out)
      throws IOException {
    FileMark mark = FileMark.of(input);
    if (mark == null || !mark.kind.startsWith("unanswered-") || !Files.exists(input)) {
      return;
    }
    if (unanswered.target() != null && Files.isSameFile(unanswered.target(), input)) {
      out.println(input.getFileName() + " now holds only the keys still not answered.");
      return;
    }
    Path done = input.resolveSibling(input.getFileName() + ".done");
    Files.move(input, done, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    out.println(
        input.getFileName()
            + ": every key of it is answered. Renamed to "
            + done.getFileName()
            + ".");
  }

  @Override
  public Integer call() throws IOException {
    Tpns4j.checkConcurrency(concurrency);
    boolean byAccount = keys.accounts != null;
    Path file = byAccount ? keys.accounts : keys.tokens;
    if (!Files.isRegularFile(file)) {
      throw new Tpns4j.Failure("no such file: " + file.toAbsolutePath());
    }
    Path input = file.toRealPath();
    Path dir = outDir.resolve(false);
    PrintStream out = cli.out;
    String kind = byAccount ? "accounts" : "tokens";
    Instant now = Instant.now();
    try (Connection c = Connection.open(credentials, cli.env);
        RowFile rejected =
            new RowFile(
                dir,
                input,
                "rejected-keys.csv",
                () -> new FileMark("rejected-keys", now, input.toString(), null, null, null),
                "line",
                "reason",
                "original row");
        RowFile bindings =
            new RowFile(
                dir,
                input,
                BINDINGS,
                () -> new FileMark("bindings", now, input.toString(), null, null, null),
                "token",
                "account",
                "account_type");
        RowFile none =
            new RowFile(
                dir,
                input,
                "no-binding-" + kind + ".csv",
                () -> new FileMark("no-binding-" + kind, now, input.toString(), null, null, null),
                byAccount ? new String[] {"account", "account_type"} : new String[] {"token"});
        RowFile unanswered =
            new RowFile(
                dir,
                input,
                "unanswered-" + kind + ".csv",
                () -> new FileMark("unanswered-" + kind, now, input.toString(), null, null, null),
                byAccount ? new String[] {"account", "account_type"} : new String[] {"token"})) {
      out.println(c.where);
      Set<Account> accounts = new LinkedHashSet<>();
      Set<String> tokens = new LinkedHashSet<>();
      long read;
      long rejectedRows;
      try (CsvRows rows =
          new CsvRows(
              input,
              byAccount ? RowRules.Shape.ACCOUNTS : RowRules.Shape.TOKENS,
              r -> rejected.write(Long.toString(r.line), r.reason, r.original))) {
        for (RowRules.Row r : rows) {
          if (byAccount) {
            accounts.add(
                r.account.accountType() == null ? Account.of(r.account.account(), 0) : r.account);
          } else {
            tokens.add(r.token);
          }
        }
        read = rows.records();
        rejectedRows = rows.rejected();
      }
      int keyCount = byAccount ? accounts.size() : tokens.size();
      out.println(
          "Asking TPNS about "
              + keyCount
              + " "
              + kind
              + " from "
              + input
              + " with "
              + concurrency
              + " calls in flight");
      Progress progress = new Progress(keyCount, kind, System.console() != null, () -> 0L, out);
      long start = System.nanoTime();
      Outcome o;
      if (byAccount) {
        List<Account> list = new ArrayList<>(accounts);
        o =
            query(
                c,
                BulkQueryRequest.tokensOfAccounts(list)
                    .concurrency(concurrency)
                    .onProgress(progress),
                list,
                (account, bound) -> {
                  if (bound.isEmpty()) {
                    none.write(account.account(), account.accountType().toString());
                  }
                  for (String t : bound) {
                    bindings.write(t, account.account(), account.accountType().toString());
                  }
                },
                f -> f.account().get(),
                a -> unanswered.write(a.account(), a.accountType().toString()));
      } else {
        List<String> list = new ArrayList<>(tokens);
        o =
            query(
                c,
                BulkQueryRequest.accountsOfTokens(list)
                    .concurrency(concurrency)
                    .onProgress(progress),
                list,
                (token, bound) -> {
                  if (bound.isEmpty()) {
                    none.write(token);
                  }
                  for (Account a : bound) {
                    bindings.write(
                        token,
                        a.account(),
                        a.accountType() == null ? "0" : a.accountType().toString());
                  }
                },
                ItemResult::key,
                unanswered::write);
      }
      long asked = byAccount ? accounts.size() : tokens.size();
      String stopped = o.stopped;
      long found = o.found;
      long answered = o.answered;
      List<ItemResult> failures = o.failures;
      progress.finish();
      rejected.commit();
      bindings.commit();
      none.commit();
      unanswered.commit();
      out.printf(
          "Done in %.1f s: %d rows read, %d rejected, %d %s asked about (%d repeated rows left"
              + " out), %d answered, %d bindings found (%s), %d with none, %d not answered%n",
          (System.nanoTime() - start) / 1e9,
          read,
          rejectedRows,
          asked,
          kind,
          read - rejectedRows - asked,
          answered,
          found,
          bindings.target() == null ? "no file written" : bindings.target(),
          none.rows(),
          unanswered.rows());
      if (none.rows() > 0) {
        out.println("  " + kind + " with no binding are in " + none.target());
      }
      if (stopped != null) {
        out.println("Stopped early: " + stopped + " (fix that first)");
      }
      if (!failures.isEmpty()) {
        out.println("  the first failure: " + failures.get(0));
      }
      if (rejected.rows() > 0) {
        out.println(
            rejected.rows()
                + " rows that are not valid "
                + kind
                + " are in "
                + rejected.target()
                + " (line,reason,original row): fix them in "
                + input
                + ".");
      }
      retireInput(input, unanswered, out);
      if (unanswered.rows() > 0) {
        List<String> args = new ArrayList<>();
        args.add("export");
        args.add(byAccount ? "--accounts" : "--tokens");
        args.add(unanswered.target().toString());
        outDir.addTo(args);
        credentials.addTo(args);
        out.println(
            unanswered.rows()
                + " "
                + kind
                + " TPNS did not answer for are in "
                + unanswered.target()
                + ". Ask again with (the bindings go to a new file beside "
                + BINDINGS
                + "):");
        out.println("  " + NextStep.tpns4j(args.toArray(new String[0])));
      }
      return rejected.rows() + unanswered.rows() == 0 && stopped == null ? 0 : 1;
    }
  }
}
