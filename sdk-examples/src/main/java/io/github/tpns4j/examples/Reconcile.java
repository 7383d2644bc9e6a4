package io.github.tpns4j.examples;

import io.github.tpns4j.TpnsBulkQueryStoppedException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountDiff;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Brings TPNS in step with the bindings the app wants, for the accounts it names, and leaves every
 * other account alone. A dry run by default: it asks TPNS for each account's tokens ({@code
 * bulkQuery}), compares them with the wanted ones ({@code AccountDiff}) and writes the plan; it
 * changes nothing.
 *
 * <pre>
 * Reconcile [WANTED.csv] [--apply] [--concurrency N] [--out-dir DIR] [--accounts N]
 * </pre>
 *
 * <p>{@code WANTED.csv} holds {@code token,account[,account_type]} rows (as BulkImport reads them;
 * no type means 0, as TPNS reads it back), all of each named account's wanted tokens. It is read
 * into memory, grouped by account: for more rows than a heap holds, use the Spark job's {@code
 * reconcile} mode. The plan:
 *
 * <ul>
 *   <li>{@code to-bind.csv} ({@code token,account,account_type,reason}): wanted, not bound in TPNS.
 *       Applied as an overwrite, which replaces the token's account of the same type;
 *   <li>{@code to-unbind.csv} (the same columns): bound in TPNS to a named account that does not
 *       want the token. Applied by deleting that account from that token; the token's other
 *       accounts stay;
 *   <li>{@code unplanned-rows.csv} ({@code token,account,account_type}): the wanted rows of
 *       accounts TPNS could not be asked about (a failed call, a stopped run), to plan again;
 *   <li>{@code rejected-wanted-rows.csv} ({@code line,reason,original row}): rows that are not a
 *       valid binding.
 * </ul>
 *
 * <p>Both plan files are BulkImport input: the summary prints the two BulkImport commands that
 * apply them, with BulkImport's exact accounting and retry files. {@code --apply} plans and then
 * applies in one go, the same way. TPNS applies writes asynchronously, so a dry run just after an
 * apply may list some changes again; applying them again does no harm (both kinds are idempotent),
 * and a dry run a minute later finds nothing. Outputs follow BulkImport's rules: written aside,
 * moved into place at the end, never over an earlier run's file. Without a file, a demo runs
 * against the built-in fake only: it makes up {@code --accounts} accounts (default 2 000) and a
 * TPNS that drifted from them, then plans, applies, and checks. Exit code: 0 when TPNS is in step
 * (a dry run found nothing; an apply left nothing), 1 when there is drift or rows left over, 2 when
 * the run could not run.
 */
public final class Reconcile {
  static final String TO_BIND = "to-bind.csv";
  static final String TO_UNBIND = "to-unbind.csv";
  static final String UNPLANNED = "unplanned-rows.csv";
  static final String REJECTED = "rejected-wanted-rows.csv";
  static final String COMMAND =
      "mvn -B -q -pl sdk-examples exec:java -Dexample=io.github.tpns4j.examples.Reconcile";

  public static void main(String[] args) {
    int code;
    try {
      code =
          run(
              args,
              realInput -> ExampleEnvironment.fromEnv(Duration.ofMillis(20), realInput),
              System.out);
    } catch (Throwable t) {
      System.out.println("Reconcile: stopped by an unexpected error: " + t);
      code = 2;
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  static final class Options {
    Path file;
    boolean apply;
    int concurrency = 8;
    int demoAccounts = 2_000;
    Path outDir = Paths.get(".");
    boolean outDirGiven;

    static Options parse(String[] args) throws BulkImport.UsageException {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--apply":
            o.apply = true;
            break;
          case "--concurrency":
            o.concurrency =
                (int)
                    BulkImport.Options.number(
                        a, BulkImport.Options.value(args, ++i, a), 1, BulkRequest.MAX_CONCURRENCY);
            break;
          case "--accounts":
            o.demoAccounts =
                (int)
                    BulkImport.Options.number(
                        a, BulkImport.Options.value(args, ++i, a), 1, 1_000_000);
            break;
          case "--out-dir":
            o.outDir = Paths.get(BulkImport.Options.value(args, ++i, a));
            o.outDirGiven = true;
            break;
          default:
            if (a.startsWith("--") || o.file != null) {
              throw new BulkImport.UsageException("unexpected argument \"" + a + "\"");
            }
            o.file = Paths.get(a);
        }
      }
      if (o.file != null && !Files.isRegularFile(o.file)) {
        throw new BulkImport.UsageException("no such file: " + o.file.toAbsolutePath());
      }
      if (!Files.isDirectory(o.outDir)) {
        throw new BulkImport.UsageException("--out-dir " + o.outDir + " is not a directory");
      }
      return o;
    }
  }

  static int run(
      String[] args, Function<Boolean, ExampleEnvironment> environment, PrintStream out) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (BulkImport.UsageException e) {
      out.println("Reconcile: " + e.getMessage());
      out.println(
          "usage: Reconcile [WANTED.csv] [--apply] [--concurrency N] [--out-dir DIR]"
              + " [--accounts N]   (WANTED: token,account[,account_type])");
      return 2;
    }
    try (ExampleEnvironment env = environment.apply(o.file != null)) {
      if (o.file == null && env.fake == null) {
        out.println(
            "Reconcile: the demo makes up drift, so it runs only against the built-in fake; give"
                + " a WANTED.csv file to reconcile real TPNS. Nothing was sent");
        return 2;
      }
      return new Reconcile(o, env, out).reconcile();
    } catch (ExampleEnvironment.MissingCredentials e) {
      out.println("Reconcile: " + e.getMessage());
      return 2;
    } catch (IOException | UncheckedIOException e) {
      out.println("Reconcile: could not read or write a file: " + e.getMessage());
      return 2;
    }
  }

  private final Options options;
  private final ExampleEnvironment env;
  private final PrintStream out;
  private final Path input;

  private Reconcile(Options options, ExampleEnvironment env, PrintStream out) throws IOException {
    this.options = options;
    this.env = env;
    this.out = out;
    this.input = options.file == null ? null : options.file.toRealPath();
  }

  /** The outcome of a dry run: where its files went and what they hold. */
  private static final class Plan {
    long accounts;
    long inStep;
    long binds;
    long unbinds;
    long unplanned;
    long rejected;
    long heldBack; // accounts left out of the plan: a wanted row of theirs was rejected
    Path toBind;
    Path toUnbind;
    Path unplannedFile;
    Path rejectedFile;
    String stopped; // why the query stopped early, or null
  }

  private int reconcile() throws IOException {
    if (options.file == null) {
      return demo();
    }
    Plan plan = plan(options.file);
    printPlan(plan);
    if (plan.rejected > 0) {
      out.println(
          "The plan is not applied while wanted rows are rejected: without them it could unbind"
              + " what they meant to keep. Fix them, then plan again:");
      out.println("  " + command(options.file, false));
      return 1;
    }
    if (!options.apply) {
      printDryRunNextSteps(plan);
      return plan.binds + plan.unbinds + plan.unplanned + plan.rejected == 0 ? 0 : 1;
    }
    int code = apply(plan);
    out.println(
        "TPNS applies writes asynchronously: a dry run right now may list some of these changes"
            + " again (applying them twice does no harm). Check in a minute with:");
    out.println("  " + command(options.file, false));
    return code == 0 && plan.unplanned + plan.rejected == 0 ? 0 : 1;
  }

  /**
   * Reads the wanted rows, grouped by account (no type is type 0, as TPNS reads it back). A token
   * wanted for two accounts of the same type cannot be: TPNS keeps one account per type per token,
   * and such a plan would flip between them on every run. Those rows are rejected, and every
   * account they name is held back from the plan (planned without that token, it would lose it).
   */
  private Map<Account, Set<String>> readWanted(Path file, RowFile rejected, Plan plan)
      throws IOException {
    Map<Account, Set<String>> wanted = new LinkedHashMap<>();
    Map<String, String> ownerOf = new HashMap<>(); // token + NUL + type -> the account name
    Map<String, Long> lineOf = new HashMap<>(); // the same key -> the line of its first row
    Set<String> conflicted = new HashSet<>();
    Set<Account> heldBack = new LinkedHashSet<>();
    try (CsvRows rows =
        new CsvRows(
            file,
            (line, reason, original) -> rejected.write(Long.toString(line), reason, original))) {
      for (TokenAccounts row : rows) {
        for (Account given : row.accounts()) {
          Account a = typed(given);
          String key = row.token() + "\u0000" + a.accountType();
          String owner = ownerOf.putIfAbsent(key, a.account());
          if (owner == null) {
            lineOf.put(key, rows.line());
          } else if (!owner.equals(a.account()) || conflicted.contains(key)) {
            Account first = Account.of(owner, a.accountType());
            if (conflicted.add(key)) {
              conflict(rejected, lineOf.get(key), row.token(), first, a);
              heldBack.add(first);
            }
            if (!owner.equals(a.account())) {
              conflict(rejected, rows.line(), row.token(), a, first);
              heldBack.add(a);
            }
            continue;
          }
          wanted.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(row.token());
        }
      }
    }
    for (Account a : heldBack) {
      wanted.remove(a);
    }
    plan.heldBack = heldBack.size();
    return wanted;
  }

  private static void conflict(RowFile rejected, long line, String token, Account a, Account b) {
    rejected.write(
        Long.toString(line),
        "token is also wanted for "
            + b.account()
            + " of the same account_type; TPNS keeps one account per type per token: keep one row",
        Csv.line(Arrays.asList(token, a.account(), a.accountType().toString())));
  }

  private static Account typed(Account a) {
    return a.accountType() == null ? Account.of(a.account(), 0) : a;
  }

  private Plan plan(Path file) throws IOException {
    Plan plan = new Plan();
    String[] columns = {"token", "account", "account_type", "reason"};
    try (RowFile rejected =
            new RowFile(options.outDir, input, REJECTED, "line", "reason", "original row");
        RowFile toBind = new RowFile(options.outDir, input, TO_BIND, columns);
        RowFile toUnbind = new RowFile(options.outDir, input, TO_UNBIND, columns);
        RowFile unplanned =
            new RowFile(options.outDir, input, UNPLANNED, "token", "account", "account_type")) {
      Map<Account, Set<String>> wanted = readWanted(file, rejected, plan);
      plan.accounts = wanted.size();
      out.println(
          "Asking TPNS for the tokens of "
              + wanted.size()
              + " accounts from "
              + (isDemo() ? "the made-up wanted rows" : file)
              + " with "
              + options.concurrency
              + " calls in flight (a dry run: nothing is changed)");
      List<Account> accounts = new ArrayList<>(wanted.keySet());
      BulkQueryRequest<Account, String> request =
          BulkQueryRequest.tokensOfAccounts(accounts).concurrency(options.concurrency);
      BulkQueryResult<Account, String> result;
      long rest = accounts.size(); // index of the first account never asked about
      try {
        result =
            env.client.bulkQuery(
                request,
                (account, actual) -> {
                  AccountDiff diff = AccountDiff.of(account, wanted.get(account), actual);
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
      for (ItemResult f : result.failures()) {
        Account a = f.account().get();
        unplannedRows(unplanned, a, wanted.get(a));
      }
      for (long i = rest; i < accounts.size(); i++) {
        Account a = accounts.get((int) i);
        unplannedRows(unplanned, a, wanted.get(a));
      }
      rejected.commit();
      toBind.commit();
      toUnbind.commit();
      unplanned.commit();
      plan.binds = toBind.rows;
      plan.unbinds = toUnbind.rows;
      plan.unplanned = unplanned.rows;
      plan.rejected = rejected.rows;
      plan.toBind = toBind.target;
      plan.toUnbind = toUnbind.target;
      plan.unplannedFile = unplanned.target;
      plan.rejectedFile = rejected.target;
    }
    return plan;
  }

  private static void unplannedRows(RowFile unplanned, Account a, Set<String> tokens) {
    for (String t : tokens) {
      unplanned.write(t, a.account(), a.accountType().toString());
    }
  }

  private void printPlan(Plan plan) {
    out.println(
        "Plan: "
            + plan.accounts
            + " accounts, "
            + plan.inStep
            + " already in step; "
            + plan.binds
            + " bindings to add"
            + (plan.toBind != null ? " (" + plan.toBind + ")" : "")
            + ", "
            + plan.unbinds
            + " to remove"
            + (plan.toUnbind != null ? " (" + plan.toUnbind + ")" : "")
            + "; "
            + plan.unplanned
            + " wanted rows not planned, "
            + plan.rejected
            + " rejected");
    if (plan.stopped != null) {
      out.println("Stopped early: " + plan.stopped + " (fix that first)");
    }
    if (plan.rejected > 0) {
      out.println(
          plan.rejected
              + " malformed or conflicting rows are in "
              + plan.rejectedFile
              + " (line,reason,original row): fix them in the wanted file."
              + (plan.heldBack > 0
                  ? " " + plan.heldBack + " accounts they name are left out of this plan."
                  : ""));
    }
    if (plan.unplanned > 0 && !isDemo()) {
      out.println(
          plan.unplanned
              + " wanted rows of accounts TPNS could not be asked about are in "
              + plan.unplannedFile
              + ". Plan them with:");
      out.println("  " + command(plan.unplannedFile, false));
    }
  }

  private void printDryRunNextSteps(Plan plan) {
    if (plan.binds + plan.unbinds == 0) {
      out.println(
          plan.unplanned == 0
              ? "TPNS is in step with " + options.file + " for these accounts: nothing to do."
              : "No drift among the accounts TPNS answered for; plan the others as printed above.");
      return;
    }
    out.println("Review the plan, then apply it with BulkImport (exact accounting, retry files):");
    if (plan.binds > 0) {
      out.println("  " + BulkImport.COMMAND + " -Dexec.args=\"" + args(plan.toBind, false) + "\"");
    }
    if (plan.unbinds > 0) {
      out.println("  " + BulkImport.COMMAND + " -Dexec.args=\"" + args(plan.toUnbind, true) + "\"");
    }
    out.println("or plan again and apply in one go:");
    out.println("  " + command(options.file, true));
  }

  /** Applies the plan's two files through BulkImport, on this run's client. */
  private int apply(Plan plan) {
    int code = 0;
    if (plan.binds > 0) {
      code = Math.max(code, BulkImport.run(importOptions(plan.toBind, false), env, out));
    }
    if (plan.unbinds > 0) {
      code = Math.max(code, BulkImport.run(importOptions(plan.toUnbind, true), env, out));
    }
    return code;
  }

  private BulkImport.Options importOptions(Path file, boolean unbind) {
    BulkImport.Options o = new BulkImport.Options();
    o.file = file;
    o.unbind = unbind;
    o.concurrency = options.concurrency;
    o.outDir = options.outDir;
    o.outDirGiven = options.outDirGiven;
    return o;
  }

  private String args(Path file, boolean unbind) {
    return BulkImport.quoteArg(file.toAbsolutePath().toString())
        + (unbind ? " --unbind" : "")
        + (options.outDirGiven
            ? " --out-dir "
                + BulkImport.quoteArg(options.outDir.toAbsolutePath().normalize().toString())
            : "");
  }

  /** The Reconcile command for {@code file}, to paste in the directory this run started in. */
  private String command(Path file, boolean apply) {
    return COMMAND
        + " -Dexec.args=\""
        + BulkImport.quoteArg(file.toAbsolutePath().toString())
        + (apply ? " --apply" : "")
        + (options.outDirGiven
            ? " --out-dir "
                + BulkImport.quoteArg(options.outDir.toAbsolutePath().normalize().toString())
            : "")
        + "\"";
  }

  private boolean isDemo() {
    return options.file == null;
  }

  // ---- demo

  /**
   * Makes up accounts and a drifted fake TPNS, writes the wanted file, then plans, applies and
   * checks. Prints no command: the fake and its drift are gone when the demo ends.
   */
  private int demo() throws IOException {
    int n = options.demoAccounts;
    if (!options.outDirGiven) {
      // made-up plans have nothing to run: keep them out of the user's directory
      options.outDir = Files.createTempDirectory("tpns4j-reconcile-demo-");
      out.println("The demo's plan files go to " + options.outDir);
    }
    Path wantedFile = Files.createTempFile("tpns4j-demo-wanted-", ".csv");
    try {
      StringBuilder csv = new StringBuilder("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        Account a = Account.of("user-" + i + "@example.com", 1005);
        csv.append("demo-token-").append(i).append(',').append(a.account()).append(",1005\n");
        if (i % 10 == 1) {
          continue; // missing in TPNS
        }
        env.fake.bind("demo-token-" + i, i % 10 == 3 ? Account.of("someone-else-" + i, 1005) : a);
        if (i % 10 == 2) {
          env.fake.bind("demo-stale-" + i, a); // unwanted in TPNS
        }
      }
      Files.write(wantedFile, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.println("1. Dry run: what differs between the app's " + n + " accounts and TPNS");
      Plan plan = plan(wantedFile);
      printPlan(plan);
      out.println("2. Apply: bind what is missing, unbind what is not wanted");
      int code = apply(plan);
      out.println("3. Dry run again");
      Plan check = plan(wantedFile);
      printPlan(check);
      out.println(
          "The plan files above were made from made-up accounts; nothing to run. With a wanted"
              + " file of yours and TPNS_ACCESS_ID/TPNS_SECRET_KEY set, this is where the commands"
              + " that apply a plan are printed.");
      return code == 0 && check.binds + check.unbinds == 0 ? 0 : 1;
    } finally {
      Files.deleteIfExists(wantedFile);
    }
  }
}
