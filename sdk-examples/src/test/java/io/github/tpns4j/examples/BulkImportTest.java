package io.github.tpns4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkImportTest {
  private static final String LONG_TOKEN = "L".repeat(200);

  /** Every case of a messy export, each on a known line. */
  private static final String MESSY =
      "\uFEFFToken,Account,Account_Type\r\n" // 1: BOM and a header in another case
          + "t1,alice@example.com,1005\r\n" // 2: fine
          + "\r\n" // 3: blank
          + "t2,\"bob, the builder\",\r\n" // 4: quoted comma, empty type
          + "# a comment\r\n" // 5
          + "t3,\"multi\r\nline\",1\r\n" // 6-7: a quoted line break
          + "onlytoken\r\n" // 8: one field
          + " ,carol\r\n" // 9: blank token
          + "t4,dave,abc\r\n" // 10: type not a number
          + "t5,erin,-3\r\n" // 11: negative type
          + LONG_TOKEN
          + ",frank\r\n" // 12: a 200-character token
          + "t6,\uD83D\uDE00 smiley,2\r\n" // 13: an emoji name
          + "t7,a,1,extra\r\n" // 14: too many fields
          + "unknown-token,grace\r\n" // 15: TPNS does not know this token
          + "   \r\n"; // 16: only spaces

  private static int run(FakeTpnsServer fake, Path dir, ByteArrayOutputStream out, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--out-dir";
    all[args.length + 1] = dir.toString();
    return BulkImport.run(
        all,
        () -> ExampleEnvironment.forFake(fake),
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void importsAMessyCsvInOneRun(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, MESSY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FakeTpnsServer fake = FakeTpnsServer.start();
    fake.setRequireRegisteredTokens(true);
    for (String t : List.of("t1", "t2", "t3", "t6", LONG_TOKEN)) {
      fake.registerToken(t);
    }
    int code;
    try (FakeTpnsServer f = fake) {
      code = run(f, dir, out, csv.toString());
      // every valid row bound
      assertThat(fake.accountsOf("t1")).containsExactly(Account.of("alice@example.com", 1005));
      assertThat(fake.accountsOf("t2")).containsExactly(Account.of("bob, the builder", 0));
      assertThat(fake.accountsOf("t3")).containsExactly(Account.of("multi\r\nline", 1));
      assertThat(fake.accountsOf(LONG_TOKEN)).containsExactly(Account.of("frank", 0));
      assertThat(fake.accountsOf("t6")).containsExactly(Account.of("\uD83D\uDE00 smiley", 2));
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isEqualTo(1);
    assertThat(printed)
        .contains("11 rows read, 5 rejected, 5 bound, 1 failed")
        .contains("failed with 1008006: 1")
        .contains("-Dexec.args=\"" + dir.resolve(BulkImport.FAILED).toAbsolutePath() + "\"")
        .doesNotContainPattern("[\\s(]-\\d"); // no negative count anywhere
    List<String> rejected = Files.readAllLines(dir.resolve(BulkImport.REJECTED));
    assertThat(rejected.get(0)).isEqualTo("line,reason,\"original row\"");
    assertThat(rejected.subList(1, rejected.size()))
        .hasSize(5)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("8,").contains("1 field").endsWith("onlytoken"),
            l -> assertThat(l).startsWith("9,").contains("blank"),
            l -> assertThat(l).startsWith("10,").contains("\"\"abc\"\" is not a whole number"),
            l -> assertThat(l).startsWith("11,").contains("-3"),
            l -> assertThat(l).startsWith("14,").contains("4 fields"));
    assertThat(Files.readAllLines(dir.resolve(BulkImport.FAILED)))
        .containsExactly("token,account,account_type", "unknown-token,grace,");
  }

  @Test
  void theFailedFileReadsBackAndACleanRunRemovesStaleFiles(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, "token,account\nt1,a\nt2,b\nbad\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.setRequireRegisteredTokens(true);
      fake.registerToken("t1");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString())).isEqualTo(1);
      Path failed = dir.resolve(BulkImport.FAILED);
      assertThat(Files.readAllLines(failed)).containsExactly("token,account,account_type", "t2,b,");
      assertThat(dir.resolve(BulkImport.REJECTED)).exists();

      fake.registerToken("t2");
      Path retry = dir.resolve("retry.csv");
      Files.move(failed, retry);
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      assertThat(run(fake, dir, again, retry.toString())).isZero();
      assertThat(fake.accountsOf("t2")).containsExactly(Account.of("b", 0));
      // each run replaces both files and removes the ones it has nothing for
      assertThat(dir.resolve(BulkImport.REJECTED)).doesNotExist();
      assertThat(dir.resolve(BulkImport.FAILED)).doesNotExist();
      assertThat(again.toString(StandardCharsets.UTF_8))
          .contains("1 rows read, 0 rejected, 1 bound, 0 failed")
          .doesNotContain("Retry them");
    }
  }

  @Test
  void aMissingFileIsAUsageErrorInOneLine(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        BulkImport.run(
            new String[] {dir.resolve("nope.csv").toString()},
            () -> {
              throw new AssertionError("no environment for a usage error");
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("BulkImport: no such file: ").contains("nope.csv");
    assertThat(printed).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(BulkImport.run(new String[] {"--rows", "x"}, () -> null, new PrintStream(out)))
        .isEqualTo(2);
  }

  @Test
  void aStoppedRunPutsTheRowsNeverSentIntoTheRetryFile(@TempDir Path dir) throws Exception {
    StringBuilder rows = new StringBuilder("token,account\n");
    for (int i = 0; i < 100; i++) {
      rows.append("t").append(i).append(",u").append(i).append('\n');
    }
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, rows);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.enqueueFailure(io.github.tpns4j.testing.FakeFailure.retCode(1008003, "revoked"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString(), "--concurrency", "1")).isEqualTo(1);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("Stopped early").contains("80 not sent");
      // the 20 of the refused call plus the 80 never sent: everything left, once each
      assertThat(Files.readAllLines(dir.resolve(BulkImport.FAILED))).hasSize(101);
    }
  }
}
