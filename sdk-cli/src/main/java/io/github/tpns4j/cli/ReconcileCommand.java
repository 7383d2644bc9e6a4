package io.github.tpns4j.cli;

import io.github.tpns4j.TpnsBulkQueryStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountDiff;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.cli.csv.Csv;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Brings TPNS in step with the bindings the app wants, for the accounts it names, and leaves every
 * other account alone. A dry run by default: it asks TPNS for each account's tokens, compares them
 * with the wanted ones ({@code AccountDiff}) and writes the plan; it changes nothing.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Compares the bindings the app wants (WANTED: token,account[,account_type] rows, all of each"
          + " named account's tokens; no type is 0) with TPNS, for the accounts WANTED names, and"
          + " writes the plan: to-bind.csv (wanted, not in TPNS) and to-unbind.csv (in TPNS, not"
          + " wanted), which `tpns4j import` applies; unplanned-rows.csv (accounts TPNS could not"
          + " be asked about) and rejected-wanted-rows.csv. Changes nothing without --apply.",
      "A plan records when and from what it was made: `tpns4j import` refuses it once older than"
          + " --max-plan-age or when WANTED has changed. A newer plan moves an older one aside"
          + " (NAME.superseded).",
      "WANTED is read into memory; for more rows than a heap holds, use the Spark job.",
      "Without WANTED: a demo against an in-process fake that drifted from made-up accounts.",
      "Exit codes: 0 TPNS is in step; 1 drift or rows left; 2 could not run."
    })
final class ReconcileCommand implements Callable<Integer> {
  static final String TO_BIND = "to-bind.csv";
  static final String TO_UNBIND = "to-unbind.csv";
  static final String UNPLANNED = "unplanned-rows.csv";
  static final String REJECTED = "rejected-wanted-rows.csv";

  @ParentCommand Tpns4j cli;

  @Parameters(arity = "0..1", paramLabel = "WANTED", description = "the wanted bindings")
  Path file;

  @Option(names = "--apply", description = "Plan, then apply the plan at once.")
  boolean apply;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description = "Calls in flight, 1 to 64 (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--accounts",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Accounts the demo makes up (default ${DEFAULT-VALUE}).")
  int demoAccounts;

  @Mixin OutDir outDir;

  @Mixin Connection.Options credentials;

  private PrintStream out;
  private Connection c;
  private Path dir;

  @Override
  public Integer call() throws IOException {
    out = cli.out;
    Tpns4j.checkConcurrency(concurrency);
    if (file != null && !Files.isRegularFile(file)) {
      throw new Tpns4j.Failure("no such file: " + file.toAbsolutePath());
    }
    if (file == null && (demoAccounts < 1 || demoAccounts > 1_000_000)) {
      throw new Tpns4j.Failure("--accounts is " + demoAccounts + "; it takes 1 to 1000000");
    }
    dir = outDir.resolve(file == null);
    try (Connection connection =
        file == null
            ? Connection.demo(Duration.ofMillis(20))
            : Connection.open(credentials, cli.env)) {
      c = connection;
      out.println(c.where);
      return file == null ? demo() : reconcile(file.toRealPath());
    }
  }

  /** The outcome of a dry run: where its files went and what they hold. */
  private static final class Plan {
    long accounts;
    long inStep;
    long unplanned;
    long rejected;
    long heldBack; // accounts left out of the plan: a wanted row of theirs was rejected
    RowFile toBind;
    RowFile toUnbind;
    RowFile unplannedFile;
    RowFile rejectedFile;
    String stopped; // why the query stopped early, or null

    long binds() {
      return toBind.rows();
    }

    long unbinds() {
      return toUnbind.rows();
    }
  }

  private int reconcile(Path wanted) throws IOException {
    FileMark inMark = FileMark.of(wanted);
    Plan plan = plan(wanted, false);
    printPlan(plan, false);
    if (plan.rejected > 0) {
      out.println(
          "The plan is not applied while wanted rows are rejected: without them it could unbind"
              + " what they meant to keep. Fix them in the wanted file, then plan again:");
      out.println("  " + command(wanted, false));
      return 1;
    }
    if (!apply) {
      printDryRunNextSteps(plan, wanted);
      return plan.binds() + plan.unbinds() + plan.unplanned + plan.rejected == 0 ? 0 : 1;
    }
    int code = apply(plan);
    if (code == 0) {
      retireInput(wanted, inMark, plan); // an unplanned-rows.csv, planned and applied
    }
    out.println(
        "TPNS applies writes asynchronously: a dry run right now may list some of these changes"
            + " again (applying them twice does no harm). Check in a minute with:");
    out.println("  " + command(wanted, false));
    return code == 0 && plan.unplanned + plan.rejected == 0 ? 0 : 1;
  }

  /**
   * An {@code unplanned-rows.csv} planned and applied holds no work: renamed {@code .done}, as
   * {@code import} does with the files it finishes. A dry run leaves it: its plan refers to it.
   */
  private void retireInput(Path wanted, FileMark inMark, Plan plan) throws IOException {
    if (inMark == null || !inMark.kind.equals("unplanned-rows") || !Files.exists(wanted)) {
      return;
    }
    Path replaced = plan.unplannedFile.target();
    if (replaced != null && Files.isSameFile(replaced, wanted)) {
      out.println(wanted.getFileName() + " now holds only the rows still not planned.");
      return;
    }
    Path done = RowFile.retire(wanted);
    out.println(
        wanted.getFileName()
            + ": every row of it is planned and applied. Renamed to "
            + done.getFileName()
            + ".");
  }

  /**
   * Reads the wanted rows, grouped by account (no type is type 0, as TPNS reads it back). A token
   * wanted for two accounts of the same type cannot be: TPNS keeps one account per type per token,
   * and such a plan would flip between them on every run. Those rows are rejected, and every
   * account they name is held back from the plan (planned without that token, it would lose it).
   */
  private Map<Account, Set<String>> readWanted(Path wanted, RowFile rejected, Plan plan)
      throws IOException {
    Map<Account, Set<String>> byAccount = new LinkedHashMap<>();
    Map<String, String> ownerOf = new HashMap<>(); // token + NUL + type -> the account name
    Map<String, Long> lineOf = new HashMap<>(); // the same key -> the line of its first row
    Set<String> conflicted = new HashSet<>();
    Set<Account> heldBack = new LinkedHashSet<>();
    try (CsvRows rows =
        new CsvRows(
            wanted,
            RowRules.Shape.BINDINGS,
            r -> rejected.write(Long.toString(r.line), r.reason, r.original))) {
      for (RowRules.Row row : rows) {
        Account a =
            row.account.accountType() == null ? Account.of(row.account.account(), 0) : row.account;
        String key = row.token + "\u0000" + a.accountType();
        String owner = ownerOf.putIfAbsent(key, a.account());
        if (owner == null) {
          lineOf.put(key, row.line);
        } else if (!owner.equals(a.account()) || conflicted.contains(key)) {
          Account first = Account.of(owner, a.accountType());
          if (conflicted.add(key)) {
            conflict(rejected, lineOf.get(key), row.token, first, a);
            heldBack.add(first);
          }
          if (!owner.equals(a.account())) {
            conflict(rejected, row.line, row.token, a, first);
            heldBack.add(a);
          }
          continue;
        }
        byAccount.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(row.token);
      }
      plan.rejected = rows.rejected();
    }
    for (Account a : heldBack) {
      byAccount.remove(a);
    }
    plan.heldBack = heldBack.size();
    return byAccount;
  }

  private static void conflict(RowFile rejected, long line, String token, Account a, Account b) {
    rejected.write(
        Long.toString(line),
        "token is also wanted for "
            + b.account()
            + " of the same account_type; TPNS keeps one account per type per token: keep one row",
        Csv.line(Arrays.asList(token, a.account(), a.accountType().toString())));
  }

  private Plan plan(Path wanted, boolean demo) throws IOException {
    Plan plan = new Plan();
    Instant now = Instant.now();
    String source = demo ? null : wanted.toString();
    String sha = demo ? null : FileMark.sha256(wanted);
    String[] columns = {"token", "account", "account_type", "reason"};
    try (RowFile rejected =
            new RowFile(
                dir,
                wanted,
                REJECTED,
                () -> new FileMark("rejected-wanted-rows", now, source, sha, null, null),
                "line",
                "reason",
                "original row");
        RowFile toBind =
            new RowFile(
                    dir,
                    wanted,
                    TO_BIND,
                    () -> new FileMark("to-bind", now, source, sha, null, "bind", blocked(plan)),
                    columns)
                .supersedes();
        RowFile toUnbind =
            new RowFile(
                    dir,
                    wanted,
                    TO_UNBIND,
                    () ->
                        new FileMark("to-unbind", now, source, sha, null, "unbind", blocked(plan)),
                    columns)
                .supersedes();
        RowFile unplanned =
            new RowFile(
                dir,
                wanted,
                UNPLANNED,
                () -> new FileMark("unplanned-rows", now, source, sha, null, null),
                "token",
                "account",
                "account_type")) {
      plan.toBind = toBind;
      plan.toUnbind = toUnbind;
      plan.unplannedFile = unplanned;
      plan.rejectedFile = rejected;
      Map<Account, Set<String>> byAccount = readWanted(wanted, rejected, plan);
      plan.rejected = rejected.rows();
      plan.accounts = byAccount.size();
      out.println(
          "Asking TPNS for the tokens of "
              + byAccount.size()
              + " accounts from "
              + (demo ? "the made-up wanted rows" : wanted)
              + " with "
              + concurrency
              + " calls in flight (a dry run: nothing is changed)");
      List<Account> accounts = new ArrayList<>(byAccount.keySet());
      Progress progress =
          new Progress(accounts.size(), "accounts", System.console() != null, () -> 0L, out);
      BulkQueryRequest<Account, String> request =
          BulkQueryRequest.tokensOfAccounts(accounts).concurrency(concurrency).onProgress(progress);
      BulkQueryResult<Account, String> result;
      long rest = accounts.size(); // index of the first account never asked about
      try {
        result =
            c.client.bulkQuery(
                request,
                (account, actual) -> {
                  AccountDiff diff = AccountDiff.of(account, byAccount.get(account), actual);
                  if (diff.isEmpty()) {
                    plan.inStep++;
                  }
                  for (String t : diff.toBind()) {
                    toBind.write(
                        t,
                        account.account(),
                        account.accountType().toString(),
                        "wanted, not bound in TPNS; binding replaces the token's account of type "
                            + account.accountType()
                            + ", if any");
                  }
                  for (String t : diff.toUnbind()) {
                    toUnbind.write(
                        t,
                        account.account(),
                        account.accountType().toString(),
                        "bound in TPNS, not wanted for this account");
                  }
                });
      } catch (TpnsBulkQueryStoppedException e) {
        result = e.partialResult(request);
        rest = e.inputIndex();
        plan.stopped = String.valueOf(e.getCause());
      }
      progress.finish();
      for (ItemResult f : result.failures()) {
        Account a = f.account().get();
        unplannedRows(unplanned, a, byAccount.get(a));
      }
      for (long i = rest; i < accounts.size(); i++) {
        Account a = accounts.get((int) i);
        unplannedRows(unplanned, a, byAccount.get(a));
      }
      rejected.commit();
      toBind.commit();
      toUnbind.commit();
      unplanned.commit();
      if (toBind.rows() == 0) {
        toBind.retireOlderPlan();
      }
      if (toUnbind.rows() == 0) {
        toUnbind.retireOlderPlan();
      }
      plan.unplanned = unplanned.rows();
    }
    return plan;
  }

  /** Why a plan must not be applied (wanted rows were rejected), or null. */
  private static String blocked(Plan plan) {
    return plan.rejected > 0
        ? plan.rejected + " wanted rows were rejected (" + REJECTED + ")"
        : null;
  }

  private static void unplannedRows(RowFile unplanned, Account a, Set<String> tokens) {
    for (String t : tokens) {
      unplanned.write(t, a.account(), a.accountType().toString());
    }
  }

  private void printPlan(Plan plan, boolean demo) {
    out.println(
        "Plan: "
            + plan.accounts
            + " accounts, "
            + plan.inStep
            + " already in step; "
            + plan.binds()
            + " bindings to add"
            + (plan.toBind.target() != null ? " (" + plan.toBind.target() + ")" : "")
            + ", "
            + plan.unbinds()
            + " to remove"
            + (plan.toUnbind.target() != null ? " (" + plan.toUnbind.target() + ")" : "")
            + "; "
            + plan.unplanned
            + " wanted rows not planned, "
            + plan.rejected
            + " rejected");
    for (RowFile f : new RowFile[] {plan.toBind, plan.toUnbind}) {
      if (f.superseded() != null) {
        out.println(
            "  an older plan was moved aside to "
                + f.superseded()
                + "; it is not to be applied: this plan replaces it");
      }
    }
    if (plan.stopped != null) {
      out.println("Stopped early: " + plan.stopped + " (fix that first)");
    }
    if (plan.rejected > 0) {
      out.println(
          plan.rejected
              + " malformed or conflicting rows are in "
              + plan.rejectedFile.target()
              + " (line,reason,original row): fix them in the wanted file. The plan files are for"
              + " review only: import refuses them."
              + (plan.heldBack > 0
                  ? " " + plan.heldBack + " accounts they name are left out of this plan."
                  : ""));
    }
    if (plan.unplanned > 0 && !demo) {
      out.println(
          plan.unplanned
              + " wanted rows of accounts TPNS could not be asked about are in "
              + plan.unplannedFile.target()
              + ". Plan them with:");
      out.println("  " + command(plan.unplannedFile.target(), false));
    }
  }

  private void printDryRunNextSteps(Plan plan, Path wanted) {
    if (plan.binds() + plan.unbinds() == 0) {
      out.println(
          plan.unplanned == 0
              ? "TPNS is in step with " + wanted + " for these accounts: nothing to do."
              : "No drift among the accounts TPNS answered for; plan the others as printed above.");
      return;
    }
    out.println(
        "Review the plan, then apply it while it is fresh (import refuses it after an hour, or"
            + " once the wanted file changes) with:");
    if (plan.binds() > 0) {
      out.println("  " + importCommand(plan.toBind.target(), false));
    }
    if (plan.unbinds() > 0) {
      out.println("  " + importCommand(plan.toUnbind.target(), true));
    }
    out.println("or plan again and apply in one go:");
    out.println("  " + command(wanted, true));
  }

  /** Applies the plan's two files as {@code tpns4j import} does, on this run's client. */
  private int apply(Plan plan) throws IOException {
    int code = 0;
    if (plan.binds() > 0) {
      code = Math.max(code, importer(plan.toBind.target(), false).importRows());
    }
    if (plan.unbinds() > 0) {
      code = Math.max(code, importer(plan.toUnbind.target(), true).importRows());
    }
    return code;
  }

  private ImportCommand.Run importer(Path plan, boolean unbind) throws IOException {
    ImportCommand o = new ImportCommand();
    o.cli = cli;
    o.file = plan;
    o.unbind = unbind;
    o.concurrency = concurrency;
    o.outDir = outDir;
    o.credentials = credentials;
    return new ImportCommand.Run(o, c, dir, out);
  }

  private String importCommand(Path plan, boolean unbind) {
    ImportCommand o = new ImportCommand();
    o.outDir = outDir;
    o.credentials = credentials;
    return o.command(plan.toString(), unbind);
  }

  /** The reconcile command for {@code wanted}, to paste anywhere. */
  private String command(Path wanted, boolean withApply) {
    List<String> args = new ArrayList<>();
    args.add("reconcile");
    args.add(wanted.toAbsolutePath().normalize().toString());
    if (withApply) {
      args.add("--apply");
    }
    outDir.addTo(args);
    credentials.addTo(args);
    return NextStep.tpns4j(args.toArray(new String[0]));
  }

  /**
   * Makes up accounts and a drifted fake TPNS, writes the wanted file, then plans, applies and
   * checks. Prints no command: the fake and its drift are gone when the demo ends.
   */
  private int demo() throws IOException {
    int n = demoAccounts;
    out.println("The demo's files go to " + dir);
    Path wantedFile = Files.createTempFile("tpns4j-demo-wanted-", ".csv");
    try {
      StringBuilder csv = new StringBuilder("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        Account a = Account.of("user-" + i + "@example.com", 1005);
        csv.append("demo-token-").append(i).append(',').append(a.account()).append(",1005\n");
        if (i % 10 == 1) {
          continue; // missing in TPNS
        }
        c.demoFake.bind("demo-token-" + i, i % 10 == 3 ? Account.of("someone-else-" + i, 1005) : a);
        if (i % 10 == 2) {
          c.demoFake.bind("demo-stale-" + i, a); // unwanted in TPNS
        }
      }
      Files.write(wantedFile, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.println("1. Dry run: what differs between the app's " + n + " accounts and TPNS");
      Plan plan = plan(wantedFile, true);
      printPlan(plan, true);
      out.println("2. Apply: bind what is missing, unbind what is not wanted");
      int code = apply(plan);
      out.println("3. Dry run again");
      Plan check = plan(wantedFile, true);
      printPlan(check, true);
      out.println(
          "The plan files above were made from made-up accounts; nothing to run. With a wanted"
              + " file of yours and credentials, this is where the commands that apply a plan are"
              + " printed.");
      return code == 0 && check.binds() + check.unbinds() == 0 ? 0 : 1;
    } finally {
      Files.deleteIfExists(wantedFile);
    }
  }
}
