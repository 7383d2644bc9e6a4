package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a careless user, a stopped process and a hostile file do to the command line. */
class HostileUseTest {
  private static Path file(Path dir, String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aFakeStoppedDuringAnImportSavesEveryWriteItAnswered(@TempDir Path dir) throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      rows.append("tok").append(i).append(",user").append(i).append(",1\n");
    }
    Path users = file(dir, "users.csv", rows.toString());
    Path saved = dir.resolve("saved.csv");
    Path credentials = dir.resolve("fake.properties");
    Cli.Fake started =
        Cli.startFake(
            "--port",
            "0",
            "--credentials",
            credentials.toString(),
            "--bindings",
            saved.toString(),
            "--latency",
            "2ms");
    FakeCommand fake = started.command();
    Map<String, String> env = Map.of("TPNS_CREDENTIALS", credentials.toString());
    CompletableFuture<Cli.Run> importRun =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    env,
                    "import",
                    users.toString(),
                    "--out-dir",
                    dir.toString(),
                    "--concurrency",
                    "16"));
    // stop it while the import is in full swing
    while (fake.server.requestCount() < 200 && !importRun.isDone()) {
      Thread.onSpinWait();
    }
    fake.stop.countDown();
    assertThat(started.exit().get(60, TimeUnit.SECONDS)).isZero();
    Cli.Run imported = importRun.get(120, TimeUnit.SECONDS);
    assertThat(imported.code()).as(imported.out()).isEqualTo(1);
    // every row is in the saved state (answered) or in failed-rows.csv (to send again)
    Set<String> accounted = new HashSet<>(Cli.dataRows(saved));
    accounted.addAll(Cli.dataRows(dir.resolve(ImportCommand.FAILED)));
    for (String row : rows.toString().split("\n")) {
      assertThat(accounted).as("row %s", row).contains(row);
    }
  }

  @Test
  void anOutputNeverReplacesAFileOfTheUsersOwnOfTheSameName(@TempDir Path dir) throws Exception {
    String mine = "token,account,account_type,note\nm1,mine,1,keep me\n";
    Path bindings = file(dir, "bindings.csv", mine);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("m1", Account.of("alice", 1));
      Cli.Run r =
          Cli.run(fake, "export", "--tokens", bindings.toString(), "--out-dir", dir.toString());
      assertThat(r.code()).as(r.out()).isZero();
      assertThat(Files.readString(bindings)).isEqualTo(mine);
      assertThat(Cli.dataRows(dir.resolve("bindings-1.csv"))).containsExactly("m1,alice,1");
      // and importing the export's result (a restore) does not rename it: it is not work
      Cli.Run restore =
          Cli.run(
              fake,
              "import",
              dir.resolve("bindings-1.csv").toString(),
              "--out-dir",
              dir.toString());
      assertThat(restore.code()).as(restore.out()).isZero();
      assertThat(dir.resolve("bindings-1.csv")).exists();
    }
  }

  @Test
  void aPlanMadeWhileWantedRowsWereRejectedIsRefused(@TempDir Path dir) throws Exception {
    Path wanted = file(dir, "wanted.csv", "r1,carol,1005\nr2,carol,10O5\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("r1", Account.of("carol", 1005));
      fake.bind("r2", Account.of("carol", 1005));
      Cli.Run plan = Cli.run(fake, "reconcile", wanted.toString(), "--out-dir", dir.toString());
      assertThat(plan.code()).isEqualTo(1);
      assertThat(plan.out()).contains("for review only");
      int requests = fake.requestCount();
      Cli.Run apply =
          Cli.run(
              fake,
              "import",
              dir.resolve("to-unbind.csv").toString(),
              "--unbind",
              "--apply-stale-plan");
      assertThat(apply.code()).isEqualTo(2);
      assertThat(apply.out()).contains("1 wanted rows were rejected").contains("Nothing was sent");
      assertThat(fake.requestCount()).isEqualTo(requests);
      assertThat(fake.tokensOf(Account.of("carol", 1005))).containsExactly("r1", "r2");
    }
  }

  @Test
  void theStepsOfAnUnplannedFilePlannedAgainWorkPasted(@TempDir Path dir) throws Exception {
    Path wanted = file(dir, "wanted.csv", "t1,alice,1\nt2,bob,1\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.enqueueFailure(FakeFailure.retCode(1008001, "parameter parse error"));
      Cli.Run first =
          Cli.run(
              fake,
              "reconcile",
              wanted.toString(),
              "--out-dir",
              dir.toString(),
              "--concurrency",
              "1");
      assertThat(first.code()).isEqualTo(1);
      List<List<String>> planAgain = Cli.printedCommands(first.out());
      assertThat(planAgain).hasSize(1);
      Cli.Run second = Cli.run(fake, planAgain.get(0).toArray(new String[0]));
      assertThat(second.code()).as(second.out()).isEqualTo(1);
      assertThat(dir.resolve("unplanned-rows.csv")).exists(); // its plan refers to it
      for (List<String> step : Cli.printedCommands(second.out())) {
        Cli.Run pasted = Cli.run(fake, step.toArray(new String[0]));
        assertThat(pasted.code()).as(step + "\n" + pasted.out()).isZero();
      }
      assertThat(fake.accountsOf("t1")).containsExactly(Account.of("alice", 1));
      assertThat(fake.accountsOf("t2")).containsExactly(Account.of("bob", 1));
      assertThat(dir.resolve("unplanned-rows.csv.done")).exists(); // planned and applied
    }
  }

  @Test
  void aRowThatWasNotUtf8StaysRejectedWhenItsFileIsImportedUnfixed(@TempDir Path dir)
      throws Exception {
    Path users = dir.resolve("users.csv");
    byte[] bad = "m13,\u00ff\u00febad,1\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(users, bad);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      Cli.Run first = Cli.run(fake, "import", users.toString(), "--out-dir", dir.toString());
      assertThat(first.code()).isEqualTo(1);
      Cli.Run again = Cli.run(fake, Cli.printedCommands(first.out()).get(0).toArray(new String[0]));
      assertThat(again.code()).as(again.out()).isEqualTo(1);
      assertThat(again.out()).contains("0 bound");
      assertThat(fake.accountsOf("m13")).isEmpty();
      assertThat(Cli.dataRows(dir.resolve(ImportCommand.REJECTED)))
          .singleElement()
          .asString()
          .startsWith("1,")
          .contains("not UTF-8");
    }
  }

  @Test
  void theFakeLeavesACredentialsFileOfYoursAndABindingsFileItCannotLoadAlone(@TempDir Path dir)
      throws Exception {
    String prod = "# prod\naccess-id=1500001048\nsecret-key=not-a-real-one\nregion=SINGAPORE\n";
    Path credentials = file(dir, "prod.properties", prod);
    Path bindings = file(dir, "b.csv", "B1,ok,1,keep\nB2,typo,1x\n");
    Cli.Run refused =
        Cli.run(
            Map.of(),
            "fake",
            "--port",
            "0",
            "--credentials",
            credentials.toString(),
            "--bindings",
            bindings.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.out()).contains("line 2").contains("cannot be loaded");
    assertThat(Files.readString(bindings)).isEqualTo("B1,ok,1,keep\nB2,typo,1x\n");
    assertThat(Files.readString(credentials)).isEqualTo(prod);
  }

  @Test
  void doneAndSupersededFilesAreNotSentAgainUnlessForced(@TempDir Path dir) throws Exception {
    Path users = file(dir, "users.csv", "t1,a\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      for (int i = 0; i <= io.github.tpns4j.TpnsClient.Builder.DEFAULT_MAX_RETRIES; i++) {
        fake.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
      }
      assertThat(Cli.run(fake, "import", users.toString(), "--out-dir", dir.toString()).code())
          .isEqualTo(1);
      Path failed = dir.resolve(ImportCommand.FAILED);
      assertThat(Cli.run(fake, "import", failed.toString(), "--out-dir", dir.toString()).code())
          .isZero();
      Path done = dir.resolve("failed-rows.csv.done");
      int requests = fake.requestCount();
      Cli.Run again = Cli.run(fake, "import", done.toString(), "--out-dir", dir.toString());
      assertThat(again.code()).isEqualTo(2);
      assertThat(again.out()).contains("a run finished").contains("Nothing was sent");
      assertThat(fake.requestCount()).isEqualTo(requests);
      assertThat(
              Cli.run(
                      fake,
                      "import",
                      done.toString(),
                      "--out-dir",
                      dir.toString(),
                      "--apply-stale-plan")
                  .code())
          .isZero();
    }
  }

  @Test
  void anOutDirThatCannotBeWrittenStopsBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
    Path users = file(dir, "users.csv", "t1,a\n");
    Path notADir = file(dir, "file", "x");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      Cli.Run r =
          Cli.run(fake, "import", users.toString(), "--out-dir", notADir.resolve("sub").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out()).contains("Nothing was sent").doesNotContain("\tat ");
      assertThat(fake.requestCount()).isZero();
    }
  }

  @Test
  void rowsOfACallRefusedForItsCredentialsAreToSendAgainNotRefused(@TempDir Path dir)
      throws Exception {
    Path users = file(dir, "users.csv", "t1,a\nt2,b\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.enqueueFailure(FakeFailure.retCode(1008003, "signature mismatch"));
      Cli.Run r = Cli.run(fake, "import", users.toString(), "--out-dir", dir.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).contains("for their whole call").contains("1008003");
      assertThat(dir.resolve(ImportCommand.REFUSED)).doesNotExist();
      assertThat(Cli.dataRows(dir.resolve(ImportCommand.FAILED))).containsExactly("t1,a,", "t2,b,");
    }
  }

  @Test
  void unbindingAnAccountTheTokenDoesNotHaveSaysSoAndSendsNothing() {
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("b1", Account.of("al ice", 1005));
      int before = fake.requestCount();
      Cli.Run r = Cli.run(fake, "unbind", "b1", "al ice");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).contains("is not bound to b1").contains("al ice (type 1005)");
      assertThat(fake.requestCount()).isEqualTo(before + 1); // the query only
      Cli.Run ok = Cli.run(fake, "unbind", "b1", "al ice", "--type", "1005");
      assertThat(ok.code()).as(ok.out()).isZero();
      assertThat(fake.accountsOf("b1")).isEmpty();
      Cli.Run all = Cli.run(fake, "unbind", "--all-of-account", "bob", "--type", "2");
      assertThat(Cli.printedCommands(all.out()).get(0))
          .containsSubsequence("query", "--account", "bob");
    }
  }
}
