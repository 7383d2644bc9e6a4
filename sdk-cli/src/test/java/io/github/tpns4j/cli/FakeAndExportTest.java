package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeAndExportTest {
  @Test
  void theFakeKeepsItsCredentialsRefusesUnregisteredTokensAppliesLaterAndSavesOnStop(
      @TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("fake.properties");
    Path tokens = dir.resolve("tokens.csv");
    Path bindings = dir.resolve("bindings.csv");
    Files.writeString(tokens, "token\nt1\nt2\n");
    Files.writeString(bindings, "t2,zed,3\n");
    Cli.Fake fake =
        Cli.startFake(
            "--port",
            "0",
            "--credentials",
            credentials.toString(),
            "--tokens",
            tokens.toString(),
            "--bindings",
            bindings.toString(),
            "--apply-delay",
            "1h");
    Cli.Watch watch = fake.out();
    assertThat(watch.text())
        .contains("2 tokens registered")
        .contains("1 bindings loaded")
        .contains("writes apply 3600000 ms after their answer")
        .doesNotContain(credentialsSecret(credentials));
    Map<String, String> env = Map.of("TPNS_CREDENTIALS", credentials.toString());
    Files.writeString(dir.resolve("users.csv"), "t1,alice,1\nt9,bob,1\n");
    Cli.Run imported =
        Cli.run(env, "import", dir.resolve("users.csv").toString(), "--out-dir", dir.toString());
    assertThat(imported.code()).as(imported.out()).isEqualTo(1);
    assertThat(imported.out()).contains("1 bound, 1 refused").contains("1008006");
    // accepted, not applied yet: the query still shows what was there
    Cli.Run queried = Cli.run(env, "query", "--token", "t1,t2");
    assertThat(queried.out()).contains("# t1: no binding").contains("t2,zed,3");
    fake.command().stop.countDown(); // what Ctrl-C does
    assertThat(fake.exit().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(watch.text()).contains("Saved 2 bindings");
    assertThat(Cli.dataRows(bindings)).containsExactlyInAnyOrder("t1,alice,1", "t2,zed,3");
  }

  private static String credentialsSecret(Path file) throws Exception {
    java.util.Properties p = new java.util.Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p.getProperty("secret-key");
  }

  @Test
  void exportWritesTheBindingsAndAsksAgainForWhatWasNotAnswered(@TempDir Path dir)
      throws Exception {
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.bind("t1", io.github.tpns4j.account.Account.of("alice", 1));
      fake.bind("t2", io.github.tpns4j.account.Account.of("alice", 1));
      fake.bind("t3", io.github.tpns4j.account.Account.of("bob", 0));
      Path accounts = dir.resolve("accounts.csv");
      Files.writeString(accounts, "account,account_type\nalice,1\nbob,\nalice,1\nnobody,2\n,4\n");
      fake.enqueueFailure(FakeFailure.retCode(1008001, "parameter parse error"));
      Cli.Run first =
          Cli.run(
              fake,
              "export",
              "--accounts",
              accounts.toString(),
              "--out-dir",
              dir.toString(),
              "--concurrency",
              "1");
      assertThat(first.code()).as(first.out()).isEqualTo(1);
      assertThat(first.out())
          .contains("5 rows read, 1 rejected, 3 accounts asked about (1 repeated");
      assertThat(Cli.dataRows(dir.resolve("unanswered-accounts.csv"))).hasSize(3);
      assertThat(Cli.dataRows(dir.resolve("rejected-keys.csv")))
          .singleElement()
          .asString()
          .startsWith("6,");
      List<List<String>> next = Cli.printedCommands(first.out());
      assertThat(next).hasSize(1);
      Cli.Run again = Cli.run(fake, next.get(0).toArray(new String[0]));
      assertThat(again.code()).as(again.out()).isZero();
      assertThat(again.out()).contains("Renamed to unanswered-accounts.csv.done");
      assertThat(dir.resolve("bindings-1.csv")).doesNotExist(); // the first run found none
      assertThat(Cli.dataRows(dir.resolve("bindings.csv")))
          .containsExactlyInAnyOrder("t1,alice,1", "t2,alice,1", "t3,bob,0");
      assertThat(Cli.dataRows(dir.resolve("no-binding-accounts.csv"))).containsExactly("nobody,2");
      // by token
      Path tokens = dir.resolve("tokens.csv");
      Files.writeString(tokens, "t1\nt3\nt-none\n");
      Cli.Run byToken =
          Cli.run(
              fake,
              "export",
              "--tokens",
              tokens.toString(),
              "--out-dir",
              dir.resolve("t").toString());
      assertThat(byToken.code()).as(byToken.out()).isZero();
      assertThat(Cli.dataRows(dir.resolve("t/bindings.csv")))
          .containsExactlyInAnyOrder("t1,alice,1", "t3,bob,0");
      assertThat(Cli.dataRows(dir.resolve("t/no-binding-tokens.csv"))).containsExactly("t-none");
    }
  }
}
