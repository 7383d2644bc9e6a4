package io.github.tpns4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.DriftScenario;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Reconcile tool on the reconcile scenario (100 000 accounts, 5 % of each drift), run as a user
 * runs it: the README's command, then each printed next step pasted as printed.
 */
class ReconcileTest {
  private static final DriftScenario SCENARIO = new DriftScenario(100_000);
  private static final String EXAMPLE = "mvn -B -q -pl sdk-examples exec:java -Dexample=";

  /** A printed command: the program it runs and its arguments, as the shell passes them. */
  record Command(String program, List<String> args) {}

  static List<Command> printedCommands(String printed) {
    List<Command> commands = new ArrayList<>();
    for (String line : printed.split("\n")) {
      line = line.trim();
      if (!line.startsWith(EXAMPLE)) {
        continue;
      }
      Matcher m =
          Pattern.compile(
                  "-Dexample=io\\.github\\.tpns4j\\.examples\\.(\\w+) -Dexec\\.args=\"(.*)\"$")
              .matcher(line);
      assertThat(m.find()).as(line).isTrue();
      List<String> args = new ArrayList<>();
      Matcher arg = Pattern.compile("'([^']*)'|(\\S+)").matcher(m.group(2));
      while (arg.find()) {
        args.add(arg.group(1) != null ? arg.group(1) : arg.group(2));
      }
      commands.add(new Command(m.group(1), args));
    }
    return commands;
  }

  /** Runs a command as printed, against the fake; returns its exit code, output in {@code out}. */
  private static int paste(FakeTpnsServer fake, Command c, ByteArrayOutputStream out) {
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    String[] args = c.args().toArray(new String[0]);
    switch (c.program()) {
      case "Reconcile":
        return Reconcile.run(args, realInput -> ExampleEnvironment.forFake(fake), ps);
      case "BulkImport":
        return BulkImport.run(args, realInput -> ExampleEnvironment.forFake(fake), ps);
      default:
        throw new AssertionError("unknown program " + c.program());
    }
  }

  private static int reconcile(FakeTpnsServer fake, ByteArrayOutputStream out, String... args) {
    return paste(fake, new Command("Reconcile", List.of(args)), out);
  }

  /** A plan file's rows as {@code token|account|type}, checking its header. */
  private static Set<String> planRows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("token,account,account_type,reason");
    Set<String> rows = new LinkedHashSet<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",", 4);
      assertThat(rows.add(f[0] + "|" + f[1] + "|" + f[2])).as("once: %s", l).isTrue();
    }
    return rows;
  }

  @Test
  @org.junit.jupiter.api.Tag("scale") // 100 000 accounts: run once, not per OkHttp version
  void aDryRunFindsExactlyTheDriftItsPrintedStepsApplyItAndTheNextDryRunFindsNothing(
      @TempDir Path dir) throws Exception {
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(wanted, SCENARIO.wantedCsv());
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      SCENARIO.seed(fake);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = reconcile(fake, out, wanted.toString(), "--out-dir", dir.toString());
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed).contains("Plan: 100000 accounts, 85000 already in step; 10000 bindings");
      assertThat(planRows(dir.resolve(Reconcile.TO_BIND))).isEqualTo(SCENARIO.expectedBinds());
      assertThat(planRows(dir.resolve(Reconcile.TO_UNBIND))).isEqualTo(SCENARIO.expectedUnbinds());
      // a dry run changes nothing
      assertThat(fake.tokensOf(DriftScenario.user(1))).isEmpty();
      assertThat(fake.tokensOf(DriftScenario.user(2))).contains("stale-2");

      List<Command> steps = printedCommands(printed);
      assertThat(steps)
          .extracting(Command::program)
          .containsExactly("BulkImport", "BulkImport", "Reconcile");
      for (Command step : steps.subList(0, 2)) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        assertThat(paste(fake, step, o)).as(o.toString(StandardCharsets.UTF_8)).isZero();
      }
      ByteArrayOutputStream check = new ByteArrayOutputStream();
      assertThat(reconcile(fake, check, wanted.toString(), "--out-dir", dir.toString()))
          .as(check.toString(StandardCharsets.UTF_8))
          .isZero();
      assertThat(check.toString(StandardCharsets.UTF_8))
          .contains("100000 already in step; 0 bindings to add, 0 to remove")
          .contains("nothing to do");
      SCENARIO.assertConverged(fake);
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("scale") // 100 000 accounts: run once, not per OkHttp version
  void withWritesAppliedLaterApplyRunsConvergeInTwoAndTheirPrintedCheckSaysSo(@TempDir Path dir)
      throws Exception {
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(wanted, SCENARIO.wantedCsv());
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      SCENARIO.seed(fake);
      fake.setApplyDelay(Duration.ofHours(1));
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      int code = reconcile(fake, first, wanted.toString(), "--apply", "--out-dir", dir.toString());
      String printed = first.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isZero();
      assertThat(printed)
          .contains("10000 bound")
          .contains("5000 unbound")
          .contains("asynchronously");
      List<Command> check = printedCommands(printed);
      assertThat(check).hasSize(1);
      assertThat(check.get(0).args()).doesNotContain("--apply");
      // Right after: TPNS has not applied the writes yet, so the check still sees the drift.
      ByteArrayOutputStream early = new ByteArrayOutputStream();
      assertThat(paste(fake, check.get(0), early)).isEqualTo(1);
      List<Command> again = printedCommands(early.toString(StandardCharsets.UTF_8));
      Command applyAgain = again.get(again.size() - 1);
      assertThat(applyAgain.args()).contains("--apply");
      // Run 2 applies the same changes again, which does no harm.
      assertThat(paste(fake, applyAgain, new ByteArrayOutputStream())).isZero();
      fake.applyPendingWrites(); // a minute later
      ByteArrayOutputStream later = new ByteArrayOutputStream();
      assertThat(paste(fake, check.get(0), later))
          .as(later.toString(StandardCharsets.UTF_8))
          .isZero();
      SCENARIO.assertConverged(fake);
    }
  }

  @Test
  void accountsTpnsCouldNotBeAskedAboutArePlannedAgainWithThePrintedCommand(@TempDir Path dir)
      throws Exception {
    DriftScenario small = new DriftScenario(400);
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(wanted, small.wantedCsv());
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      small.seed(fake);
      // four calls fail as a whole, with a code that is not retried
      for (int i = 0; i < 4; i++) {
        fake.enqueueFailure(FakeFailure.retCode(1008001, "parameter parse error"));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = reconcile(fake, out, wanted.toString(), "--out-dir", dir.toString());
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed).contains("wanted rows of accounts TPNS could not be asked about");
      List<String> unplanned = Files.readAllLines(dir.resolve(Reconcile.UNPLANNED));
      assertThat(unplanned.get(0)).isEqualTo("token,account,account_type");
      Command planAgain =
          printedCommands(printed).stream()
              .filter(c -> c.args().get(0).endsWith(Reconcile.UNPLANNED))
              .findFirst()
              .orElseThrow();
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      assertThat(paste(fake, planAgain, o)).isEqualTo(1);
      // its plan has the drift of exactly those accounts, beside the first plan's files
      assertThat(o.toString(StandardCharsets.UTF_8)).contains("0 wanted rows not planned");
      Set<String> all = planRows(dir.resolve(Reconcile.TO_BIND));
      all.addAll(planRows(dir.resolve("to-bind-1.csv")));
      assertThat(all).isEqualTo(small.expectedBinds());
    }
  }

  @Test
  void theDemoSaysDemoFirstConvergesAndPrintsNoCommand(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stdout = System.out;
    System.setOut(ps); // ExampleEnvironment says DEMO on System.out
    int code;
    try {
      code =
          Reconcile.run(
              new String[] {"--accounts", "300", "--out-dir", dir.toString()},
              realInput -> ExampleEnvironment.fromEnv(name -> null, Duration.ZERO, realInput),
              ps);
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed).startsWith("DEMO");
    assertThat(printed)
        .contains("Plan: 300 accounts, 210 already in step; 60 bindings to add")
        .contains("30 to remove")
        .contains("Plan: 300 accounts, 300 already in step");
    assertThat(printedCommands(printed)).isEmpty();
  }

  @Test
  void aWantedFileWithoutCredentialsFailsBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("wanted.csv");
    Files.writeString(csv, "t1,a\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Reconcile.run(
            new String[] {csv.toString(), "--out-dir", dir.toString()},
            realInput -> ExampleEnvironment.fromEnv(name -> null, Duration.ZERO, realInput),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("TPNS_ACCESS_ID and TPNS_SECRET_KEY");
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(csv);
    }
  }

  @Test
  void accountsNotMentionedAreLeftAlone(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("wanted.csv");
    Files.writeString(csv, "token,account\nt1,alice\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", Account.of("bob", 0));
      fake.bind("t2", Account.of("carol", 3));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(reconcile(fake, out, csv.toString(), "--apply", "--out-dir", dir.toString()))
          .isZero();
      assertThat(fake.accountsOf("t1")).containsExactly(Account.of("alice", 0));
      assertThat(fake.accountsOf("t2")).containsExactly(Account.of("carol", 3));
    }
  }

  @Test
  void aWantedFileWithRejectedRowsIsPlannedButNeitherAppliedNorGivenApplyCommands(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("wanted.csv");
    // alice wants t1 and t2, but the t2 row has a field too many: applying without it would
    // unbind t2
    Files.writeString(csv, "t1,alice,1\nt2,alice,1,oops\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", Account.of("alice", 1));
      fake.bind("t2", Account.of("alice", 1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = reconcile(fake, out, csv.toString(), "--apply", "--out-dir", dir.toString());
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed).contains("1 rejected").contains("not applied");
      assertThat(fake.tokensOf(Account.of("alice", 1))).containsExactly("t1", "t2");
      assertThat(printedCommands(printed))
          .extracting(Command::program)
          .containsExactly("Reconcile");
      assertThat(printedCommands(printed).get(0).args()).doesNotContain("--apply");
      assertThat(Files.readAllLines(dir.resolve(Reconcile.REJECTED)).get(1)).startsWith("2,");
    }
  }

  @Test
  void bulkImportUnbindRemovesOnlyThatAccountAndNamesItsRetryFileApart(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("unbind.csv");
    Files.writeString(csv, "token,account,account_type\nt1,alice,1\nt2,alice,1\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", Account.of("alice", 1), Account.of("alice-mail", 1005));
      fake.bind("t2", Account.of("alice", 1));
      // the one call fails with an internal error on every try: its rows are worth retrying
      for (int i = 0; i <= io.github.tpns4j.TpnsClient.Builder.DEFAULT_MAX_RETRIES; i++) {
        fake.enqueueFailure(FakeFailure.retCode(1008004, "internal error"));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          paste(
              fake,
              new Command(
                  "BulkImport",
                  List.of(
                      csv.toString(),
                      "--unbind",
                      "--concurrency",
                      "1",
                      "--out-dir",
                      dir.toString())),
              out);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed).contains("Unbinding 2 rows").contains("0 unbound");
      Command retry = printedCommands(printed).get(0);
      assertThat(retry.args()).contains("--unbind");
      assertThat(retry.args().get(0)).endsWith("failed-unbind-rows.csv");
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      assertThat(paste(fake, retry, again)).as(again.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(fake.accountsOf("t1")).containsExactly(Account.of("alice-mail", 1005));
      assertThat(fake.accountsOf("t2")).isEmpty();
    }
  }

  @Test
  void aTokenWantedForTwoAccountsOfOneTypeIsRejectedAndBothAccountsAreHeldBack(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("wanted.csv");
    // line 2 and 3 want t1 for alice and for bob, both of type 1: TPNS keeps one of them, and a
    // plan with both would flip t1 between them on every run
    Files.writeString(
        csv, "token,account,account_type\nt1,alice,1\nt1,bob,1\nt2,alice,1\nt3,carol,1\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", Account.of("alice", 1));
      fake.bind("t2", Account.of("alice", 1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = reconcile(fake, out, csv.toString(), "--apply", "--out-dir", dir.toString());
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed)
          .contains("Plan: 1 accounts")
          .contains("2 accounts they name are left out")
          .contains("not applied");
      List<String> rejected = Files.readAllLines(dir.resolve(Reconcile.REJECTED));
      assertThat(rejected.subList(1, rejected.size()))
          .satisfiesExactly(
              l ->
                  assertThat(l)
                      .startsWith("2,")
                      .contains("also wanted for bob")
                      .endsWith("\"t1,alice,1\""),
              l ->
                  assertThat(l)
                      .startsWith("3,")
                      .contains("also wanted for alice")
                      .endsWith("\"t1,bob,1\""));
      // the plan has carol only, and nothing was applied
      assertThat(planRows(dir.resolve(Reconcile.TO_BIND))).containsExactly("t3|carol|1");
      assertThat(Files.exists(dir.resolve(Reconcile.TO_UNBIND))).isFalse();
      assertThat(fake.tokensOf(Account.of("carol", 1))).isEmpty();
      assertThat(fake.tokensOf(Account.of("alice", 1))).containsExactly("t1", "t2");
    }
  }

  @Test
  void aDryRunWithAccountsNotAskedAboutNeverSaysNothingIsLeftToDo(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("wanted.csv");
    Files.writeString(csv, "t1,alice,1\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", Account.of("alice", 1));
      fake.enqueueFailure(FakeFailure.retCode(1008001, "parameter parse error"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = reconcile(fake, out, csv.toString(), "--out-dir", dir.toString());
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isEqualTo(1);
      assertThat(printed).contains("1 wanted rows not planned").doesNotContain("nothing to do");
      assertThat(printedCommands(printed))
          .extracting(Command::program)
          .containsExactly("Reconcile");
    }
  }
}
