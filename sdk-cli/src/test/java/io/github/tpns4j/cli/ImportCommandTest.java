package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.cli.csv.Csv;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
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
    String[] all = new String[args.length + 3];
    all[0] = "import";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--out-dir";
    all[args.length + 2] = dir.toString();
    return runAsPrinted(fake, out, all);
  }

  private static int runAsPrinted(FakeTpnsServer fake, ByteArrayOutputStream out, String... args) {
    Cli.Run r = Cli.run(fake, args);
    out.writeBytes(r.out().getBytes(StandardCharsets.UTF_8));
    return r.code();
  }

  static List<List<String>> printedCommands(String printed) {
    return Cli.printedCommands(printed);
  }

  private static Set<String> dataRows(Path csv) throws IOException {
    return new HashSet<>(Cli.dataRows(csv));
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
        .contains("11 rows read, 5 rejected, 5 bound, 1 refused, 0 to retry")
        .contains("refused with 1008006 (INVALID_TOKEN): 1")
        .contains("tpns4j import " + dir.resolve(ImportCommand.REFUSED).toAbsolutePath())
        .doesNotContain(ImportCommand.FAILED)
        .doesNotContainPattern("[\\s(]-\\d"); // no negative count anywhere
    assertThat(Cli.header(dir.resolve(ImportCommand.REJECTED)))
        .isEqualTo("line,reason,original row");
    assertThat(Cli.dataRows(dir.resolve(ImportCommand.REJECTED)))
        .hasSize(5)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("8,").contains("1 field").endsWith("onlytoken"),
            l -> assertThat(l).startsWith("9,").contains("token is empty"),
            l -> assertThat(l).startsWith("10,").contains("\"\"abc\"\" is not a whole number"),
            l -> assertThat(l).startsWith("11,").contains("-3"),
            l -> assertThat(l).startsWith("14,").contains("4 fields"));
    assertThat(Cli.header(dir.resolve(ImportCommand.REFUSED)))
        .isEqualTo("token,account,account_type,code,reason");
    assertThat(Cli.dataRows(dir.resolve(ImportCommand.REFUSED)))
        .singleElement()
        .asString()
        .startsWith("unknown-token,grace,,1008006,");
  }

  @Test
  void anUnbalancedQuoteAndALatin1ByteRejectOnlyTheirRows(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write("token,account\n".getBytes(StandardCharsets.UTF_8)); // 1
    file.write("t1,a\n".getBytes(StandardCharsets.UTF_8)); // 2
    file.write("t2,\"never closed\n".getBytes(StandardCharsets.UTF_8)); // 3: unbalanced
    file.write("t3,c\n".getBytes(StandardCharsets.UTF_8)); // 4
    file.write("t4,Jos".getBytes(StandardCharsets.UTF_8)); // 5: Latin-1 \u00e9
    file.write(0xE9);
    file.write("\n".getBytes(StandardCharsets.UTF_8));
    file.write("t5,\"O\"\"Brien\"\n".getBytes(StandardCharsets.UTF_8)); // 6: RFC 4180 quotes
    file.write("t6,\"x\"y,1\n".getBytes(StandardCharsets.UTF_8)); // 7: text after a quote
    file.write("t7,g\n".getBytes(StandardCharsets.UTF_8)); // 8
    Path csv = dir.resolve("users.csv");
    Files.write(csv, file.toByteArray());
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString())).isEqualTo(1);
      for (String t : List.of("t1", "t3", "t5", "t7")) {
        assertThat(fake.accountsOf(t)).as(t).hasSize(1);
      }
      assertThat(fake.accountsOf("t5")).containsExactly(Account.of("O\"Brien", 0));
      assertThat(fake.accountsOf("t2")).isEmpty();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("7 rows read, 3 rejected, 4 bound");
      assertThat(Cli.dataRows(dir.resolve(ImportCommand.REJECTED)))
          .satisfiesExactly(
              l -> assertThat(l).startsWith("3,").contains("never closed"),
              l -> assertThat(l).startsWith("5,").contains("not valid UTF-8"),
              l -> assertThat(l).startsWith("7,").contains("after a closing quote"));
    }
  }

  @Test
  void everyPrintedNextStepWorksPastedAsItIsAndLosesNothing(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("users.csv");
    StringBuilder rows = new StringBuilder("token,account\n");
    for (int i = 0; i < 60; i++) {
      rows.append("t").append(i).append(",u").append(i).append('\n');
    }
    rows.append("unknown,v\n").append("broken\n");
    Files.writeString(csv, rows);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.setRequireRegisteredTokens(true);
      for (int i = 0; i < 60; i++) {
        fake.registerToken("t" + i);
      }
      // the first call fails as a whole after its retries: its 20 rows are worth retrying
      for (int k = 0; k < 3; k++) {
        fake.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString(), "--concurrency", "1")).isEqualTo(1);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("62 rows read, 1 rejected, 40 bound, 1 refused, 20 to retry");
      Set<String> toRetry = dataRows(dir.resolve(ImportCommand.FAILED));
      assertThat(toRetry).hasSize(20);
      List<List<String>> next = printedCommands(printed);
      assertThat(next).hasSize(3); // rejected, refused, failed: each pasted below

      // 1. the retry command, pasted as it is: reads failed-rows.csv and writes its result there
      fake.registerToken("unknown");
      List<String> retry = next.get(2);
      assertThat(retry.subList(0, 2))
          .containsExactly("import", dir.resolve(ImportCommand.FAILED).toString());
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      assertThat(runAsPrinted(fake, again, retry.toArray(new String[0])))
          .as(again.toString(StandardCharsets.UTF_8))
          .isZero();
      assertThat(again.toString(StandardCharsets.UTF_8))
          .contains("20 rows read, 0 rejected, 20 bound");
      for (int i = 0; i < 20; i++) {
        assertThat(fake.accountsOf("t" + i)).containsExactly(Account.of("u" + i, 0));
      }

      // 2. the refused rows, fixed (the token is registered now), imported as printed
      ByteArrayOutputStream refused = new ByteArrayOutputStream();
      assertThat(runAsPrinted(fake, refused, next.get(1).toArray(new String[0]))).isZero();
      assertThat(fake.accountsOf("unknown")).containsExactly(Account.of("v", 0));

      // 3. the rejected row, fixed in place, imported as printed
      fake.registerToken("broken");
      Path rejected = dir.resolve(ImportCommand.REJECTED);
      Files.writeString(rejected, Files.readString(rejected).replace("broken", "\"broken,fixed\""));
      ByteArrayOutputStream fixed = new ByteArrayOutputStream();
      assertThat(runAsPrinted(fake, fixed, next.get(0).toArray(new String[0])))
          .as(fixed.toString(StandardCharsets.UTF_8))
          .isZero();
      assertThat(fake.accountsOf("broken")).containsExactly(Account.of("fixed", 0));
      // the input was never touched
      assertThat(Files.readString(csv)).isEqualTo(rows.toString());
      // and each file whose work is done says so: no .csv but the input is left to import
      assertThat(fixed.toString(StandardCharsets.UTF_8))
          .contains(
              "rejected-rows.csv: every row of it is done. Renamed to rejected-rows.csv.done");
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "users.csv",
                "rejected-rows.csv.done",
                "refused-rows.csv.done",
                "failed-rows.csv.done");
      }
    }
  }

  @Test
  void aRetryThatStillFailsReplacesItsOwnInputOnlyAfterReadingIt(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, "token,account\nt1,a\nt2,b\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      for (int k = 0; k < 3; k++) {
        fake.enqueueFailure(FakeFailure.httpStatus(500, "down"));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString())).isEqualTo(1);
      Path failed = dir.resolve(ImportCommand.FAILED);
      Set<String> before = dataRows(failed);
      assertThat(before).containsExactlyInAnyOrder("t1,a,", "t2,b,");
      // it fails again: the same rows are still in failed-rows.csv, none lost
      for (int k = 0; k < 3; k++) {
        fake.enqueueFailure(FakeFailure.httpStatus(500, "down"));
      }
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      List<String> retry = printedCommands(out.toString(StandardCharsets.UTF_8)).get(0);
      assertThat(runAsPrinted(fake, again, retry.toArray(new String[0]))).isEqualTo(1);
      assertThat(dataRows(failed)).isEqualTo(before);
      assertThat(printedCommands(again.toString(StandardCharsets.UTF_8))).containsExactly(retry);
      // an unrelated run never replaces that list: its own goes to a fresh name
      Path other = dir.resolve("other.csv");
      Files.writeString(other, "token,account\nt9,z\n");
      for (int k = 0; k < 3; k++) {
        fake.enqueueFailure(FakeFailure.httpStatus(500, "down"));
      }
      ByteArrayOutputStream third = new ByteArrayOutputStream();
      assertThat(run(fake, dir, third, other.toString())).isEqualTo(1);
      assertThat(dataRows(failed)).isEqualTo(before);
      assertThat(dataRows(dir.resolve("failed-rows-1.csv"))).containsExactly("t9,z,");
      assertThat(third.toString(StandardCharsets.UTF_8)).contains("failed-rows-1.csv");
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
    }
  }

  @Test
  void realInputWithoutCredentialsFailsBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, "token,account\nt1,a\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cli.Run r = Cli.run(Map.of(), "import", csv.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out())
        .contains("TPNS_ACCESS_ID and TPNS_SECRET_KEY are not set")
        .doesNotContain("Exception");
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(csv);
    }
  }

  @Test
  void aMissingFileIsAUsageErrorInOneLine(@TempDir Path dir) {
    Cli.Run r = Cli.run(Map.of(), "import", dir.resolve("nope.csv").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).startsWith("import: no such file: ").contains("nope.csv");
    assertThat(r.out()).doesNotContain("Exception").doesNotContain("\tat ");
    Cli.Run bad = Cli.run(Map.of(), "import", "--rows", "x");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.out()).contains("--rows").contains("'x'").doesNotContain("\tat ");
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
      fake.enqueueFailure(FakeFailure.retCode(1008003, "revoked"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString(), "--concurrency", "1")).isEqualTo(1);
      String printed = out.toString(StandardCharsets.UTF_8);
      // concurrency 1: one call on the wire, one ready; the refusal pauses the workers, so the
      // ready one is never sent, and nothing past it is read
      assertThat(printed)
          .contains("Stopped early")
          .contains("0 bound")
          .contains("60 of them past the stop, never sent")
          .contains("20 rows to retry got no answer")
          .contains("in 1 calls");
      // the 20 of the refused call (1008003: refused credentials, fixed outside the rows), the 20
      // ready beside it and the 60 past the stop: everything left, once each
      int failed = Cli.dataRows(dir.resolve(ImportCommand.FAILED)).size();
      int refused =
          Files.exists(dir.resolve(ImportCommand.REFUSED))
              ? Cli.dataRows(dir.resolve(ImportCommand.REFUSED)).size()
              : 0;
      assertThat(failed + refused).isEqualTo(100);
      assertThat(failed).isGreaterThanOrEqualTo(80);
    }
  }

  @Test
  void writesCsvThatReadsBackUnchanged(@TempDir Path dir) throws Exception {
    List<String> tricky =
        List.of(
            "plain",
            "comma, inside",
            "quote \" inside",
            "line\nbreak",
            "crlf\r\nbreak",
            "tab\tinside",
            "\uD83D\uDE00 emoji",
            " leading",
            "trailing ",
            "\"\"",
            "");
    Path f = dir.resolve("round.csv");
    StringBuilder b = new StringBuilder();
    for (String t : tricky) {
      b.append(Csv.line(List.of("k", t))).append("\r\n");
    }
    Files.writeString(f, b);
    try (Csv.Reader r = new Csv.Reader(Files.newInputStream(f))) {
      for (String t : tricky) {
        Csv.Record rec = r.next();
        assertThat(rec.problem).isNull();
        assertThat(rec.fields).containsExactly("k", t);
      }
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void theDemoPrintsNoCommandThatWouldNeedTheFakeAgain(@TempDir Path dir) throws Exception {
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // no file: the demo, whose fake refuses every 997th token (one in 600 rows)
      assertThat(run(fake, dir, out, "--rows", "600")).isEqualTo(1);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("1 refused").contains("Nothing to run");
      assertThat(printedCommands(printed)).isEmpty();
      assertThat(dataRows(dir.resolve(ImportCommand.REFUSED))).hasSize(1);
    }
  }

  @Test
  void aRejectedFileImportedUnfixedKeepsTheOriginalLinesAndRowsVerbatim(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("users.csv");
    String[] lines = {
      "token,account,account_type", // 1
      "x4-0,ok@example.com,2", // 2
      "x4-1,zed@example.com,1005,EXTRA", // 3
      "x4-2,fine,1", // 4
      "x4-3,Li, Wei,2", // 5: an unquoted comma
      "x4-4,\"a\"b,3", // 6: text after a closing quote
    };
    Files.writeString(csv, String.join("\n", lines) + "\n");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(run(fake, dir, out, csv.toString())).isEqualTo(1);
      Path rejected = dir.resolve(ImportCommand.REJECTED);
      List<String> first = Cli.dataRows(rejected);
      assertThat(first).hasSize(3);
      // imported again as printed, unfixed: the same lines of users.csv, the same text
      for (int round = 0; round < 2; round++) {
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        List<String> next = printedCommands(out.toString(StandardCharsets.UTF_8)).get(0);
        assertThat(runAsPrinted(fake, again, next.toArray(new String[0]))).isEqualTo(1);
        assertThat(Cli.dataRows(rejected)).isEqualTo(first);
        assertThat(again.toString(StandardCharsets.UTF_8))
            .contains("3 rows read, 3 rejected, 0 bound");
      }
      List<String> originals = new ArrayList<>();
      try (Csv.Reader r = new Csv.Reader(Files.newInputStream(rejected))) {
        r.next(); // the mark
        r.next(); // the header
        Csv.Record rec;
        while ((rec = r.next()) != null) {
          originals.add(rec.fields.get(0) + ":" + rec.fields.get(2));
        }
      }
      assertThat(originals).containsExactly("3:" + lines[2], "5:" + lines[4], "6:" + lines[5]);
    }
  }

  @Test
  void anOutDirThatDoesNotExistIsMade(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, "token,account\nt1,a\nbroken\n");
    Path outDir = dir.resolve("new/deeper");
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      Cli.Run r = Cli.run(fake, "import", csv.toString(), "--out-dir", outDir.toString());
      assertThat(r.code()).as(r.out()).isEqualTo(1);
      assertThat(Cli.dataRows(outDir.resolve(ImportCommand.REJECTED))).hasSize(1);
      assertThat(fake.accountsOf("t1")).containsExactly(Account.of("a", 0));
    }
  }

  @Test
  void ofTwoRowsOfOneTokenAndTypeTheLaterIsBound(@TempDir Path dir) throws Exception {
    StringBuilder rows = new StringBuilder("token,account,account_type\n");
    for (int i = 0; i < 200; i++) {
      rows.append("T").append(i).append(",alice-").append(i).append(",\n");
      rows.append("T").append(i).append(",bob-").append(i).append(",0\n");
      rows.append("U").append(i).append(",carol-").append(i).append(",07\n");
      rows.append("U").append(i).append(",dave-").append(i).append(",7\n");
    }
    Path csv = dir.resolve("users.csv");
    Files.writeString(csv, rows);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      fake.setLatency(Duration.ofMillis(2));
      Cli.Run r =
          Cli.run(
              fake, "import", csv.toString(), "--out-dir", dir.toString(), "--concurrency", "16");
      assertThat(r.code()).as(r.out()).isZero();
      for (int i = 0; i < 200; i++) {
        assertThat(fake.accountsOf("T" + i)).containsExactly(Account.of("bob-" + i, 0));
        assertThat(fake.accountsOf("U" + i)).containsExactly(Account.of("dave-" + i, 7));
      }
    }
  }
}
