package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.DriftScenario;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Reconcile tool on the reconcile scenario (100 000 accounts, 5 % of each drift), run as a user
 * runs it: the README's command, then each printed next step pasted as printed.
 */
class ReconcileCommandTest {
  private static final DriftScenario SCENARIO = new DriftScenario(100_000);

  /** A printed command: its subcommand and its arguments, as the shell passes them. */
  record Command(String program, List<String> args) {}

  static List<Command> printedCommands(String printed) {
    List<Command> commands = new ArrayList<>();
    for (List<String> words : Cli.printedCommands(printed)) {
      commands.add(new Command(words.get(0), words.subList(1, words.size())));
    }
    return commands;
  }

  /** Runs a command as printed, against the fake; returns its exit code, output in {@code out}. */
  private static int paste(FakeTpnsServer fake, Command c, ByteArrayOutputStream out) {
    List<String> all = new ArrayList<>();
    all.add(c.program());
    all.addAll(c.args());
    Cli.Run r = Cli.run(fake, all.toArray(new String[0]));
    out.writeBytes(r.out().getBytes(StandardCharsets.UTF_8));
    return r.code();
  }

  private static int reconcile(FakeTpnsServer fake, ByteArrayOutputStream out, String... args) {
    return paste(fake, new Command("reconcile", List.of(args)), out);
  }

  /** A plan file's rows as {@code token|account|type}, checking its header. */
  private static Set<String> planRows(Path csv) throws IOException {
    assertThat(Cli.header(csv)).isEqualTo("token,account,account_type,reason");
    Set<String> rows = new LinkedHashSet<>();
    for (String l : Cli.dataRows(csv)) {
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
      assertThat(planRows(dir.resolve(ReconcileCommand.TO_BIND)))
          .isEqualTo(SCENARIO.expectedBinds());
      assertThat(planRows(dir.resolve(ReconcileCommand.TO_UNBIND)))
          .isEqualTo(SCENARIO.expectedUnbinds());
      // a dry run changes nothing
      assertThat(fake.tokensOf(DriftScenario.user(1))).isEmpty();
      assertThat(fake.tokensOf(DriftScenario.user(2))).contains("stale-2");

      List<Command> steps = printedCommands(printed);
      assertThat(steps)
          .extracting(Command::program)
          .containsExactly("import", "import", "reconcile");
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
      assertThat(Cli.header(dir.resolve(ReconcileCommand.UNPLANNED)))
          .isEqualTo("token,account,account_type");
      Command planAgain =
          printedCommands(printed).stream()
              .filter(c -> c.args().get(0).endsWith(ReconcileCommand.UNPLANNED))
              .findFirst()
              .orElseThrow();
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      assertThat(paste(fake, planAgain, o)).isEqualTo(1);
      // its plan has the drift of exactly those accounts, beside the first plan's files
      assertThat(o.toString(StandardCharsets.UTF_8)).contains("0 wanted rows not planned");
      Set<String> all = planRows(dir.resolve(ReconcileCommand.TO_BIND));
      all.addAll(planRows(dir.resolve("to-bind-1.csv")));
      assertThat(all).isEqualTo(small.expectedBinds());
    }
  }

  @Test
  void theDemoSaysDemoFirstConvergesAndPrintsNoCommand(@TempDir Path dir) {
    Cli.Run r = Cli.run(Map.of(), "reconcile", "--accounts", "300", "--out-dir", dir.toString());
    String printed = r.out();
    assertThat(r.code()).as(printed).isZero();
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
    Cli.Run r = Cli.run(Map.of(), "reconcile", csv.toString(), "--out-dir", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("TPNS_ACCESS_ID and TPNS_SECRET_KEY");
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
          .containsExactly("reconcile");
      assertThat(printedCommands(printed).get(0).args()).doesNotContain("--apply");
      assertThat(Cli.dataRows(dir.resolve(ReconcileCommand.REJECTED)).get(0)).startsWith("2,");
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
                  "import",
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
      assertThat(Cli.dataRows(dir.resolve(ReconcileCommand.REJECTED)))
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
      assertThat(planRows(dir.resolve(ReconcileCommand.TO_BIND))).containsExactly("t3|carol|1");
      assertThat(Files.exists(dir.resolve(ReconcileCommand.TO_UNBIND))).isFalse();
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
          .containsExactly("reconcile");
    }
  }

  /** A dry run's plan over {@code wanted}: t1 and t2 to bind to alice, t9 to unbind from her. */
  private static String plan(FakeTpnsServer fake, Path dir, Path wanted) throws IOException {
    Files.writeString(wanted, "token,account,account_type\nt1,alice,1\nt2,alice,1\n");
    fake.bind("t9", Account.of("alice", 1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(reconcile(fake, out, wanted.toString(), "--out-dir", dir.toString())).isEqualTo(1);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aPlanWhoseWantedFileChangedIsRefusedUntilMadeAgainOrForced(@TempDir Path dir)
      throws Exception {
    Path wanted = dir.resolve("wanted.csv");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      List<Command> steps = printedCommands(plan(fake, dir, wanted));
      Command bind = steps.get(0);
      assertThat(bind.args().get(0)).endsWith(ReconcileCommand.TO_BIND);
      // the user logs out of t2 in the app: the wanted file changes
      Files.writeString(wanted, "token,account,account_type\nt1,alice,1\n");
      int requests = fake.requestCount();
      ByteArrayOutputStream refused = new ByteArrayOutputStream();
      assertThat(paste(fake, bind, refused)).isEqualTo(2);
      String printed = refused.toString(StandardCharsets.UTF_8);
      assertThat(printed)
          .contains("has changed since")
          .contains("Nothing was sent")
          .doesNotContain("\tat ");
      assertThat(fake.requestCount()).isEqualTo(requests);
      assertThat(fake.accountsOf("t2")).isEmpty();
      List<Command> next = printedCommands(printed);
      assertThat(next).extracting(Command::program).containsExactly("reconcile", "import");
      assertThat(next.get(1).args()).contains("--apply-stale-plan");
      // 1. planned again, as printed: t2 is no longer in the plan
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      assertThat(paste(fake, next.get(0), again)).isEqualTo(1);
      assertThat(again.toString(StandardCharsets.UTF_8)).contains("moved aside");
      assertThat(planRows(dir.resolve(ReconcileCommand.TO_BIND))).containsExactly("t1|alice|1");
      assertThat(dir.resolve("to-bind.csv.superseded")).exists();
      assertThat(dir.resolve("to-bind-1.csv")).doesNotExist();
      // 2. the old plan, forced as printed, is applied (the superseded file, in its place)
      Files.move(dir.resolve("to-bind.csv.superseded"), dir.resolve("old.csv"));
      ByteArrayOutputStream forcedOut = new ByteArrayOutputStream();
      List<String> forced = new ArrayList<>(next.get(1).args());
      forced.set(0, dir.resolve("old.csv").toString());
      assertThat(paste(fake, new Command("import", forced), forcedOut))
          .as(forcedOut.toString(StandardCharsets.UTF_8))
          .isZero();
      assertThat(fake.accountsOf("t2")).containsExactly(Account.of("alice", 1));
    }
  }

  @Test
  void aPlanOlderThanItsBoundOrImportedTheWrongWayIsRefused(@TempDir Path dir) throws Exception {
    Path wanted = dir.resolve("wanted.csv");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      List<Command> steps = printedCommands(plan(fake, dir, wanted));
      Path toBind = dir.resolve(ReconcileCommand.TO_BIND);
      Path toUnbind = dir.resolve(ReconcileCommand.TO_UNBIND);
      int requests = fake.requestCount();
      // the wrong way round: a plan of unbinds imported as binds, and the other way
      Cli.Run wrong = Cli.run(fake, "import", toUnbind.toString(), "--out-dir", dir.toString());
      assertThat(wrong.code()).isEqualTo(2);
      assertThat(wrong.out()).contains("a plan of bindings to remove").contains("--unbind");
      Cli.Run wrong2 =
          Cli.run(fake, "import", toBind.toString(), "--unbind", "--out-dir", dir.toString());
      assertThat(wrong2.code()).isEqualTo(2);
      // made two hours ago
      String text = Files.readString(toBind);
      String made = text.replaceAll("(?s)^.*? made=([^ ]+).*$", "$1");
      String old =
          java.net.URLEncoder.encode(
              java.time.Instant.now().minus(Duration.ofHours(2)).toString(),
              StandardCharsets.UTF_8);
      Files.writeString(toBind, text.replace("made=" + made, "made=" + old));
      ByteArrayOutputStream late = new ByteArrayOutputStream();
      assertThat(paste(fake, steps.get(0), late)).isEqualTo(2);
      assertThat(late.toString(StandardCharsets.UTF_8))
          .contains("made 2 h ago")
          .contains("--max-plan-age (1 h)");
      assertThat(fake.requestCount()).isEqualTo(requests);
      // a longer bound lets it through; the unbind plan, fresh, applies as printed
      List<String> args = new ArrayList<>(steps.get(0).args());
      args.addAll(List.of("--max-plan-age", "3h"));
      assertThat(paste(fake, new Command("import", args), new ByteArrayOutputStream())).isZero();
      assertThat(paste(fake, steps.get(1), new ByteArrayOutputStream())).isZero();
      assertThat(fake.tokensOf(Account.of("alice", 1))).containsExactly("t1", "t2");
      // both plans are done: renamed, so no .csv but the wanted file is left to apply
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("wanted.csv", "to-bind.csv.done", "to-unbind.csv.done");
      }
    }
  }

  @Test
  void aDryRunThatFindsNothingToDoMovesTheOlderPlanAside(@TempDir Path dir) throws Exception {
    Path wanted = dir.resolve("wanted.csv");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      plan(fake, dir, wanted);
      // someone else brought TPNS in step
      fake.bind("t1", Account.of("alice", 1));
      fake.bind("t2", Account.of("alice", 1));
      fake.bind("t9", Account.of("zed", 1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(reconcile(fake, out, wanted.toString(), "--out-dir", dir.toString())).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("nothing to do")
          .contains("moved aside");
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "wanted.csv", "to-bind.csv.superseded", "to-unbind.csv.superseded");
      }
    }
  }
}
