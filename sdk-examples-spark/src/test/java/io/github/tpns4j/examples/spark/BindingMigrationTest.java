package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.DriftScenario;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindingMigrationTest {
  private static SparkSession spark;
  private FakeTpnsServer tpns;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[4,2]") // a failed task is run again once, as on a cluster
            .appName("binding-migration-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
    ExecutorClients.closeAll();
  }

  @BeforeEach
  void startFake() {
    tpns = FakeTpnsServer.start();
    tpns.setRequireRegisteredTokens(true);
  }

  @AfterEach
  void stopFake() {
    ExecutorClients.closeAll();
    tpns.close();
  }

  static String token(int i) {
    return String.format("tok-%06d", i);
  }

  static String user(int i) {
    return "user-" + i + "@example.com";
  }

  /** Rows: every 1000th has a blank token, every 1000th + 500 an account_type "x". */
  static Path csv(Path dir, int n) throws Exception {
    Path file = dir.resolve("input.csv");
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        String t = i % 1000 == 0 ? " " : token(i);
        String type = i % 1000 == 500 ? "x" : "1005";
        w.write(t + "," + user(i) + "," + type + "\n");
      }
    }
    return file;
  }

  static boolean malformed(int i) {
    return i % 1000 == 0 || i % 1000 == 500;
  }

  private MigrationSettings settings() {
    return new MigrationSettings(
        tpns.accessId(), tpns.secretKey(), tpns.baseUrl(), null, Operation.OVERWRITE, 1);
  }

  private static JobOptions options(Path output, int callsInFlight, String... inputs) {
    JobOptions o = new JobOptions();
    o.inputs.addAll(List.of(inputs));
    o.output = output.toString();
    o.callsInFlight = callsInFlight;
    return o;
  }

  private static List<Row> outcomes(Path output, String outcome) {
    Path dir = output.resolve("outcome=" + outcome);
    if (!Files.exists(dir)) {
      return List.of();
    }
    return Outputs.csv(spark.read()).csv(dir.toString()).collectAsList();
  }

  @Test
  @org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
  void migratesTwoHundredThousandRowsAndAccountsForEveryOne(@TempDir Path dir) throws Exception {
    int n = 200_000;
    Path input = csv(dir, n);
    Set<String> unknown = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (i % 100 == 37) {
        unknown.add(token(i)); // 1 % of the tokens TPNS does not know
      } else {
        tpns.registerToken(token(i));
      }
    }
    Path output = dir.resolve("out");
    Summary s = MigrateMode.migrate(spark, settings(), options(output, 32, input.toString()));

    long expectedRejected =
        java.util.stream.IntStream.range(0, n).filter(i -> malformed(i)).count();
    long expectedRefused =
        java.util.stream.IntStream.range(0, n)
            .filter(i -> !malformed(i) && unknown.contains(token(i)))
            .count();
    assertThat(s.rows).isEqualTo(n);
    assertThat(s.count(PartitionMigration.REJECTED)).isEqualTo(expectedRejected);
    assertThat(s.count(PartitionMigration.REFUSED)).isEqualTo(expectedRefused);
    assertThat(s.count(PartitionMigration.NEVER_SENT)).isZero();
    assertThat(s.count(PartitionMigration.FAILED)).isZero();
    assertThat(s.bound).isEqualTo(n - expectedRejected - expectedRefused);
    assertThat(s.stops.partitions()).isZero();

    // every unknown token is in the refused output with 1008006, and nothing else is
    List<Row> refused = outcomes(output, PartitionMigration.REFUSED);
    assertThat(refused).hasSize((int) expectedRefused);
    assertThat(refused)
        .allSatisfy(r -> assertThat(r.getAs("detail").toString()).isEqualTo("1008006"));
    assertThat(refused.stream().map(r -> r.<String>getAs("token")).collect(Collectors.toSet()))
        .isSubsetOf(unknown);
    // malformed rows are rejected with a reason
    List<Row> rejected = outcomes(output, PartitionMigration.REJECTED);
    assertThat(rejected).hasSize((int) expectedRejected);
    assertThat(rejected)
        .anySatisfy(r -> assertThat(r.<String>getAs("reason")).contains("token is empty"));
    assertThat(rejected).anySatisfy(r -> assertThat(r.<String>getAs("reason")).contains("\"x\""));
    // every bound row is in the fake
    for (int i = 0; i < n; i++) {
      if (!malformed(i) && !unknown.contains(token(i))) {
        assertThat(tpns.accountsOf(token(i))).containsExactly(Account.of(user(i), 1005));
      }
    }
  }

  @Test
  void readsParquetToo(@TempDir Path dir) throws Exception {
    Path csv = csv(dir, 2_000);
    Path parquet = dir.resolve("input.parquet");
    spark.read().option("header", "true").csv(csv.toString()).write().parquet(parquet.toString());
    for (int i = 0; i < 2_000; i++) {
      tpns.registerToken(token(i));
    }
    JobOptions o = options(dir.resolve("out"), 8, parquet.toString());
    o.format = "parquet";
    Summary s = MigrateMode.migrate(spark, settings(), o);
    assertThat(s.rows).isEqualTo(2_000);
    assertThat(s.count(PartitionMigration.REJECTED)).isEqualTo(4);
    assertThat(s.bound).isEqualTo(1_996);
  }

  @Test
  void readsGzippedCsvAndRejectsBlankParquetRowsInsteadOfSkippingThem(@TempDir Path dir)
      throws Exception {
    Path gz = dir.resolve("users.csv.gz");
    try (java.io.Writer w =
        new java.io.OutputStreamWriter(
            new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz)),
            java.nio.charset.StandardCharsets.UTF_8)) {
      w.write("token,account,account_type\ngz-1,alice,1\ngz-2,bob,1\n");
    }
    for (String t : List.of("gz-1", "gz-2", "pq-1", "#pq-3")) {
      tpns.registerToken(t);
    }
    Summary s =
        MigrateMode.migrate(spark, settings(), options(dir.resolve("out"), 8, gz.toString()));
    assertThat(s.rows).isEqualTo(2);
    assertThat(s.bound).isEqualTo(2);
    assertThat(tpns.accountsOf("gz-1")).containsExactly(Account.of("alice", 1));
    // a Parquet row is a row: blank, or a token starting with #, it is rejected, never skipped
    Path parquet = dir.resolve("blank.parquet");
    spark
        .createDataFrame(
            java.util.List.of(
                org.apache.spark.sql.RowFactory.create("pq-1", "carol", "1"),
                org.apache.spark.sql.RowFactory.create(null, null, null),
                org.apache.spark.sql.RowFactory.create("#pq-3", "dave", "1")),
            new org.apache.spark.sql.types.StructType()
                .add("token", org.apache.spark.sql.types.DataTypes.StringType)
                .add("account", org.apache.spark.sql.types.DataTypes.StringType)
                .add("account_type", org.apache.spark.sql.types.DataTypes.StringType))
        .write()
        .parquet(parquet.toString());
    JobOptions o = options(dir.resolve("out2"), 8, parquet.toString());
    o.format = "parquet";
    Summary p = MigrateMode.migrate(spark, settings(), o);
    assertThat(p.rows).isEqualTo(3);
    assertThat(p.count(PartitionMigration.REJECTED)).isEqualTo(1);
    assertThat(p.bound).isEqualTo(2);
    assertThat(tpns.accountsOf("#pq-3")).containsExactly(Account.of("dave", 1));
  }

  @Test
  void planFilesAndFilesWhoseWorkIsDoneAreRefusedBeforeAnythingIsSent(@TempDir Path dir)
      throws Exception {
    Path plan = dir.resolve("to-unbind.csv");
    Files.writeString(
        plan,
        new io.github.tpns4j.cli.csv.FileMark(
                    "to-unbind", java.time.Instant.now(), null, null, null, "unbind")
                .line()
            + "\ntoken,account,account_type,reason\nt1,alice,1,x\n");
    Path done = Files.writeString(dir.resolve("failed-rows.csv.done"), "t2,bob,1\n");
    int before = tpns.requestCount();
    for (Path p : List.of(plan, done)) {
      assertThatThrownBy(
              () ->
                  MigrateMode.migrate(
                      spark, settings(), options(dir.resolve("o"), 8, p.toString())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Nothing was sent");
    }
    assertThat(tpns.requestCount()).isEqualTo(before);
  }

  @Test
  void anOutageStopsAPartitionAndASecondRunFinishesTheMigration(@TempDir Path dir)
      throws Exception {
    int n = 10_000;
    Path input = dir.resolve("clean.csv");
    try (BufferedWriter w = Files.newBufferedWriter(input)) {
      w.write("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        w.write(token(i) + "," + user(i) + ",1005\n");
        tpns.registerToken(token(i));
      }
    }
    // 16 calls answered 500, with the run's budget of 8 retries (the first 4 calls retry twice):
    // 24 requests, and the partition stops after the 16th call in a row
    for (int i = 0; i < 24; i++) {
      tpns.enqueueFailure(FakeFailure.httpStatus(500, "down"));
    }
    Path output = dir.resolve("out");
    JobOptions o = options(output, 1, input.toString()); // 1 call in flight
    o.partitions = 1;
    Summary first = MigrateMode.migrate(spark, settings(), o);
    assertThat(first.stops.partitions()).isEqualTo(1);
    assertThat(first.stops.causes()).singleElement().asString().contains("500");
    // the 16 calls, and the call ready beside the 16th (1 call in flight: one in progress, one
    // ready), taken back unsent when the run stopped, if it was handed out by then
    long failed = first.count(PartitionMigration.FAILED);
    assertThat(failed).isIn(16L * 20, 17L * 20);
    assertThat(first.count(PartitionMigration.NEVER_SENT)).isEqualTo(n - failed);
    assertThat(first.bound).isZero();
    assertThat(tpns.requestCount()).isEqualTo(24);
    // never_sent holds exactly the rows past the stop: all from the first row not failed on
    Set<String> neverSent =
        outcomes(output, PartitionMigration.NEVER_SENT).stream()
            .map(r -> r.<String>getAs("token"))
            .collect(Collectors.toSet());
    Set<String> expected = new HashSet<>();
    for (int i = (int) failed; i < n; i++) {
      expected.add(token(i));
    }
    assertThat(neverSent).isEqualTo(expected);
    assertThat(outcomes(output, PartitionMigration.FAILED))
        .allSatisfy(r -> assertThat(r.<String>getAs("detail")).isEqualTo("NO_ANSWER"));

    // the second run, on the outputs, completes the migration
    Path again = dir.resolve("out2");
    Summary second =
        MigrateMode.migrate(
            spark,
            settings(),
            options(
                again,
                32,
                output.resolve("outcome=failed").toString(),
                output.resolve("outcome=never_sent").toString()));
    assertThat(second.allBound()).isTrue();
    assertThat(second.rows).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(tpns.accountsOf(token(i))).containsExactly(Account.of(user(i), 1005));
    }
  }

  // ---- as a user runs it: the printed next steps, the CSV dialect, retried tasks, safety

  private String[] runPrinting(String... args) throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int code;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = BindingMigration.run(args, this::env, spark);
    } finally {
      System.setOut(old);
    }
    String printed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    return new String[] {Integer.toString(code), printed};
  }

  private String env(String name) {
    switch (name) {
      case "TPNS_ACCESS_ID":
        return tpns.accessId();
      case "TPNS_SECRET_KEY":
        return tpns.secretKey();
      case "TPNS_BASE_URL":
        return tpns.baseUrl();
      default:
        return null;
    }
  }

  static List<String[]> printedCommands(String printed) throws Exception {
    return PrintedCommands.of(printed);
  }

  @Test
  void everyPrintedNextStepWorksPastedAsItIsAndLosesNothing(@TempDir Path dir) throws Exception {
    int n = 2_000;
    // a folder name a shell would expand or split: every printed command quotes it
    Path home = Files.createDirectories(dir.resolve("it's a $HOME `x` dir"));
    Path input = home.resolve("users.csv");
    try (BufferedWriter w = Files.newBufferedWriter(input)) {
      w.write("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        w.write(token(i) + "," + user(i) + ",1005\n");
        if (i % 100 != 3) {
          tpns.registerToken(token(i)); // 1 % unknown: refused, need a fix first
        }
      }
    }
    // an outage in the middle: 16 calls fail as a whole, the partition stops
    for (int i = 0; i < 24; i++) {
      tpns.enqueueFailure(FakeFailure.httpStatus(503, "down"));
    }
    String out = home.resolve("migration-out").toString();
    String[] first =
        runPrinting("--input", input.toString(), "--output", out, "--calls-in-flight", "1");
    assertThat(first[0]).as(first[1]).isEqualTo("1");
    List<String[]> next = printedCommands(first[1]);
    // the outage came first: only rows worth retrying (failed and never sent) are left
    assertThat(next).as(first[1]).hasSize(1);
    // 1. the retry command, pasted as it is: into a fresh output; the unknown tokens are refused
    String[] retry = runPrinting(next.get(0));
    assertThat(retry[0]).as(retry[1]).isEqualTo("1");
    assertThat(retry[1]).contains(n / 100 + " refused").contains("0 to retry");
    List<String[]> fix = printedCommands(retry[1]);
    assertThat(fix).as(retry[1]).hasSize(1);
    // 2. the refused rows, after the fix (the tokens registered), pasted as printed
    for (int i = 3; i < n; i += 100) {
      tpns.registerToken(token(i));
    }
    String[] refused = runPrinting(fix.get(0));
    assertThat(refused[0]).as(refused[1]).isEqualTo("0");
    for (int i = 0; i < n; i++) {
      assertThat(tpns.accountsOf(token(i))).containsExactly(Account.of(user(i), 1005));
    }
    // every run's outcomes are still there, read and never overwritten
    // (past the 16 failed calls, and the call ready beside the 16th when it was taken back)
    assertThat(outcomes(Path.of(out), PartitionMigration.NEVER_SENT))
        .hasSizeBetween(n - 340, n - 320);
    // pasting the first command again is refused: its output exists
    String[] again =
        runPrinting("--input", input.toString(), "--output", out, "--calls-in-flight", "1");
    assertThat(again[0]).isEqualTo("2");
    assertThat(again[1]).contains("exists").contains("migration-out-4");
  }

  @Test
  void anOutputThatHoldsOrIsAnInputIsRefusedBeforeAnythingStarts(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("migration-out");
    Path refused = out.resolve("outcome=refused");
    Files.createDirectories(refused);
    Path part = refused.resolve("part-0.csv");
    Files.writeString(part, "token,account,account_type,detail\nt,a,,1008006\n");
    for (String[] args :
        new String[][] {
          {"--input", refused.toString(), "--output", out.toString()},
          {"--input", out.toString(), "--output", out.toString()},
          {"--input", out.toString(), "--output", refused.resolve("x").toString()}
        }) {
      String[] r = runPrinting(args);
      assertThat(r[0]).as(r[1]).isEqualTo("2");
      assertThat(r[1]).contains("--output").contains("new --output");
      assertThat(part).exists();
    }
  }

  @Test
  void yourInputWithoutCredentialsExits2BeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path input = csv(dir, 10);
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int code;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      // no session given, none may be started: the check comes first
      code =
          BindingMigration.run(
              new String[] {"--input", input.toString(), "--output", dir.resolve("o").toString()},
              name -> name.equals("TPNS_ACCESS_ID") ? "1500001048" : null,
              null);
    } finally {
      System.setOut(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("TPNS_SECRET_KEY is not set")
        .doesNotContain("Exception");
    assertThat(dir.resolve("o")).doesNotExist();
    assertThat(SparkSession.getActiveSession().get()).isSameAs(spark);
  }

  @Test
  void aCsvWrittenByPythonBindsEachAccountExactlyAsWritten(@TempDir Path dir) throws Exception {
    // The bytes Python's csv.writer writes (encoding utf-8-sig: with a BOM; lines end in CRLF;
    // a quote inside a field is doubled; a field with a comma or a line break is quoted).
    String python =
        "\uFEFFtoken,account,account_type\r\n"
            + "py-1,\"O\"\"Brien\",1\r\n"
            + "py-2,\"Smith, Jane\",\r\n"
            + "py-3,\"two\nlines\",2\r\n"
            + "py-4,\"say \"\"hi\"\", \"\"bye\"\"\",3\r\n"
            + "py-5,\uD83D\uDE00 emoji,4\r\n"
            + "unknown,\"O\"\"Neil, x\ny\",5\r\n";
    Path input = dir.resolve("from-python.csv");
    Files.writeString(input, python);
    for (int i = 1; i <= 5; i++) {
      tpns.registerToken("py-" + i);
    }
    Path out = dir.resolve("out");
    Summary s = MigrateMode.migrate(spark, settings(), options(out, 4, input.toString()));
    assertThat(s.rows).isEqualTo(6);
    assertThat(tpns.accountsOf("py-1")).containsExactly(Account.of("O\"Brien", 1));
    assertThat(tpns.accountsOf("py-2")).containsExactly(Account.of("Smith, Jane", 0));
    assertThat(tpns.accountsOf("py-3")).containsExactly(Account.of("two\nlines", 2));
    assertThat(tpns.accountsOf("py-4")).containsExactly(Account.of("say \"hi\", \"bye\"", 3));
    assertThat(tpns.accountsOf("py-5")).containsExactly(Account.of("\uD83D\uDE00 emoji", 4));
    // what the job writes reads back unchanged: by the job itself, and by Python's csv module
    List<Row> refused = outcomes(out, PartitionMigration.REFUSED);
    assertThat(refused)
        .singleElement()
        .satisfies(r -> assertThat(r.<String>getAs("account")).isEqualTo("O\"Neil, x\ny"));
    java.util.Optional<Path> part;
    try (var files = Files.list(out.resolve("outcome=refused"))) {
      part = files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst();
    }
    assertThat(part).isPresent();
    org.junit.jupiter.api.Assumptions.assumeTrue(hasPython(), "python3 on the PATH");
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import csv,sys\n"
                    + "rows=list(csv.DictReader(open(sys.argv[1],newline='',encoding='utf-8')))\n"
                    + "sys.stdout.write(repr(rows[0]['account']))",
                part.get().toString())
            .redirectErrorStream(true)
            .start();
    String read =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(read).isZero();
    assertThat(read).isEqualTo("'O\"Neil, x\\ny'");
  }

  private static boolean hasPython() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aTaskRunTwiceLeavesTheInputsLastRowPerTokenAndAccountType(@TempDir Path dir)
      throws Exception {
    int n = 6_000;
    int tokens = 1_500;
    Path input = dir.resolve("churn.csv");
    java.util.Map<String, java.util.Map<Integer, String>> last = new java.util.HashMap<>();
    try (BufferedWriter w = Files.newBufferedWriter(input)) {
      w.write("token,account,account_type\n");
      for (int i = 0; i < n; i++) {
        String t = "churn-" + (i % tokens);
        int type = (i / tokens) % 2 + 1; // each token: types 1 and 2, each written twice
        w.write(t + ",acct-" + i + "," + type + "\n");
        last.computeIfAbsent(t, k -> new java.util.HashMap<>()).put(type, "acct-" + i);
      }
    }
    for (int i = 0; i < tokens; i++) {
      tpns.registerToken("churn-" + i);
    }
    // the first task to finish a slice fails once: Spark runs it again, from its start
    java.util.concurrent.atomic.AtomicBoolean killed =
        new java.util.concurrent.atomic.AtomicBoolean();
    PartitionMigration.afterSlice =
        () -> {
          if (killed.compareAndSet(false, true)) {
            throw new IllegalStateException("test: the task dies once");
          }
        };
    spark.conf().set("spark.sql.files.maxPartitionBytes", "16k"); // several input partitions
    try {
      JobOptions o = options(dir.resolve("out"), 4, input.toString());
      o.partitions = 3;
      Summary s = MigrateMode.migrate(spark, settings(), o);
      assertThat(killed).isTrue();
      assertThat(s.rows).isEqualTo(n);
      assertThat(s.count(PartitionMigration.SUPERSEDED)).isEqualTo(n - 2L * tokens);
      assertThat(s.bound).isEqualTo(2L * tokens);
      assertThat(s.allBound()).isTrue();
    } finally {
      PartitionMigration.afterSlice = () -> {};
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
    for (int i = 0; i < tokens; i++) {
      String t = "churn-" + i;
      assertThat(tpns.accountsOf(t))
          .as(t)
          .containsExactlyInAnyOrder(
              Account.of(last.get(t).get(1), 1), Account.of(last.get(t).get(2), 2));
    }
  }

  @Test
  void theLastRowOfATokenAndTypeIsBoundHoweverTheTypeIsSpelled(@TempDir Path dir) throws Exception {
    tpns.setRequireRegisteredTokens(false);
    Path input = dir.resolve("spellings.csv");
    // each token: two rows of one account type, spelled two ways; the second row is the later one
    Files.writeString(
        input,
        "token,account,account_type\n"
            + "t1,alice,\nt1,bob,0\n" // empty is type 0
            + "t2,carol,0\nt2,dave,\n"
            + "t3,erin,07\nt3,frank,7\n"
            + "t4,gina,7\nt4,hank,07\n"
            + "t5,ivy,\"\t7\"\nt5,jack,7\n"
            + "t6,kim,\u0667\nt6,lou,7\n" // an Arabic-Indic 7: not a type, as in tpns4j import
            + "t7,max,1\n\"t7\t\",ned,1\n"); // the same token, with a tab after it
    JobOptions o = options(dir.resolve("out"), 2, input.toString());
    o.partitions = 2;
    Summary s = MigrateMode.migrate(spark, settings(), o);

    java.util.Map<String, Set<Account>> bound = new java.util.TreeMap<>();
    for (String t : List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7")) {
      bound.put(t, tpns.accountsOf(t));
    }
    assertThat(bound)
        .isEqualTo(
            java.util.Map.of(
                "t1", Set.of(Account.of("bob", 0)),
                "t2", Set.of(Account.of("dave", 0)),
                "t3", Set.of(Account.of("frank", 7)),
                "t4", Set.of(Account.of("hank", 7)),
                "t5", Set.of(Account.of("jack", 7)),
                "t6", Set.of(Account.of("lou", 7)),
                "t7", Set.of(Account.of("ned", 1))));
    assertThat(
            outcomes(dir.resolve("out"), PartitionMigration.SUPERSEDED).stream()
                .map(r -> r.<String>getAs("account"))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("alice", "carol", "erin", "gina", "ivy", "max");
    assertThat(
            outcomes(dir.resolve("out"), PartitionMigration.REJECTED).stream()
                .map(r -> r.<String>getAs("line") + ":" + r.<String>getAs("original row"))
                .collect(Collectors.toList()))
        .containsExactly("12:t6,kim,\u0667");
    assertThat(s.bound).isEqualTo(7);
    assertThat(s.rows).isEqualTo(14);
  }

  @Test
  void theDemoSaysSoFirstAndPrintsNoCommandThatWouldNeedTheFakeAgain(@TempDir Path dir)
      throws Exception {
    String out = dir.resolve("demo-out").toString();
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int code;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      // no --input and no credentials: the demo, on the bundled sample and its own fake
      code = BindingMigration.run(new String[] {"--output", out}, name -> null, spark);
    } finally {
      System.setOut(old);
    }
    String printed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).as(printed).isEqualTo(1);
    assertThat(printed.lines().findFirst().orElse("")).startsWith("DEMO:");
    assertThat(printed)
        .contains("1000 rows: 970 bound")
        .contains("9 refused")
        .contains("21 rejected");
    assertThat(printedCommands(printed)).isEmpty();
    assertThat(outcomes(Path.of(out), PartitionMigration.REFUSED)).hasSize(9);
  }

  // ---- export and reconcile modes, on the reconcile scenario

  private static Set<String> planRows(Path output, String outcome) {
    Set<String> rows = new HashSet<>();
    for (Row r : outcomes(output, outcome)) {
      assertThat(rows.add(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2)))
          .as("once: %s", r)
          .isTrue();
    }
    return rows;
  }

  @Test
  @org.junit.jupiter.api.Tag("scale") // run once, not per OkHttp version
  void reconcileFindsExactlyTheDriftAndItsPrintedStepsApplyItPastedAsTheyAre(@TempDir Path dir)
      throws Exception {
    DriftScenario scenario = new DriftScenario(100_000);
    tpns.setRequireRegisteredTokens(false);
    scenario.seed(tpns);
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(wanted, scenario.wantedCsv());
    Path out = dir.resolve("plan");
    String[] first =
        runPrinting(
            "--mode", "reconcile", "--input", wanted.toString(), "--output", out.toString());
    assertThat(first[0]).as(first[1]).isEqualTo("1");
    assertThat(first[1]).contains("Plan: 10000 bindings to add").contains("5000 to remove");
    assertThat(planRows(out, PartitionQuery.TO_BIND)).isEqualTo(scenario.expectedBinds());
    assertThat(planRows(out, PartitionQuery.TO_UNBIND)).isEqualTo(scenario.expectedUnbinds());
    assertThat(tpns.tokensOf(DriftScenario.user(2))).contains("stale-2"); // a dry run
    List<String[]> next = printedCommands(first[1]);
    assertThat(next).hasSize(3);
    for (String[] step : next.subList(0, 2)) {
      String[] r = runPrinting(step);
      assertThat(r[0]).as(r[1]).isEqualTo("0");
    }
    // the third: plan again and apply in one go; now there is nothing to do
    String[] again = runPrinting(next.get(2));
    assertThat(again[0]).as(again[1]).isEqualTo("0");
    assertThat(again[1]).contains("Plan: 0 bindings to add").contains("nothing to do");
    scenario.assertConverged(tpns);
  }

  @Test
  @org.junit.jupiter.api.Tag("scale") // run once, not per OkHttp version
  void reconcileApplyWithWritesAppliedLaterConvergesInTwoRuns(@TempDir Path dir) throws Exception {
    DriftScenario scenario = new DriftScenario(20_000);
    tpns.setRequireRegisteredTokens(false);
    scenario.seed(tpns);
    tpns.setApplyDelay(java.time.Duration.ofHours(1));
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(wanted, scenario.wantedCsv());
    String[] run1 =
        runPrinting(
            "--mode",
            "reconcile",
            "--apply",
            "--input",
            wanted.toString(),
            "--output",
            dir.resolve("r1").toString());
    assertThat(run1[0]).as(run1[1]).isEqualTo("0");
    assertThat(run1[1]).contains("asynchronously");
    List<String[]> check1 = printedCommands(run1[1]);
    assertThat(check1).hasSize(1);
    // right after, TPNS has not applied the writes: the check still finds the drift
    String[] early = runPrinting(check1.get(0));
    assertThat(early[0]).as(early[1]).isEqualTo("1");
    assertThat(early[1]).contains("Plan: 2000 bindings to add");
    List<String[]> steps = printedCommands(early[1]);
    String[] run2 = runPrinting(steps.get(steps.size() - 1)); // plan again and apply
    assertThat(run2[0]).as(run2[1]).isEqualTo("0");
    tpns.applyPendingWrites(); // a minute later
    List<String[]> check2 = printedCommands(run2[1]);
    String[] later = runPrinting(check2.get(check2.size() - 1));
    assertThat(later[0]).as(later[1]).isEqualTo("0");
    scenario.assertConverged(tpns);
  }

  @Test
  void aPlanWithARejectedRowIsNotApplied(@TempDir Path dir) throws Exception {
    tpns.setRequireRegisteredTokens(false);
    tpns.bind("t1", Account.of("alice", 1));
    tpns.bind("t2", Account.of("alice", 1));
    Path wanted = dir.resolve("wanted.csv");
    // alice wants t1 and t2, but the t2 row is malformed: planning without it would unbind t2
    Files.writeString(wanted, "token,account,account_type\nt1,alice,1\n\" \",alice,1\nt3,bob,\n");
    String[] r =
        runPrinting(
            "--mode",
            "reconcile",
            "--apply",
            "--input",
            wanted.toString(),
            "--output",
            dir.resolve("p").toString());
    assertThat(r[0]).as(r[1]).isEqualTo("1");
    assertThat(r[1]).contains("1 rejected").contains("not applied");
    assertThat(tpns.tokensOf(Account.of("alice", 1))).containsExactly("t1", "t2");
    assertThat(tpns.tokensOf(Account.of("bob", 0))).isEmpty();
    assertThat(outcomes(dir.resolve("p"), PartitionMigration.REJECTED))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.<String>getAs("line")).isEqualTo("3");
              assertThat(row.<String>getAs("reason")).isEqualTo("token is empty");
              assertThat(row.<String>getAs("original row")).isEqualTo("\" \",alice,1");
            });
    assertThat(printedCommands(r[1])).isEmpty();
  }

  @Test
  void exportWritesEveryBindingOfTheAccountsAndTheOnesWithNone(@TempDir Path dir) throws Exception {
    DriftScenario scenario = new DriftScenario(400);
    tpns.setRequireRegisteredTokens(false);
    scenario.seed(tpns);
    Path accounts = dir.resolve("accounts.csv");
    Files.writeString(accounts, scenario.wantedCsv()); // the token column is not used
    Path out = dir.resolve("export");
    String[] r =
        runPrinting("--mode", "export", "--input", accounts.toString(), "--output", out.toString());
    assertThat(r[0]).as(r[1]).isEqualTo("0");
    Set<String> expected = new HashSet<>();
    Set<String> none = new HashSet<>();
    for (int i = 0; i < scenario.accounts; i++) {
      Account a = DriftScenario.user(i);
      Set<String> tokens = tpns.tokensOf(a);
      tokens.forEach(t -> expected.add(t + "|" + a.account() + "|" + a.accountType()));
      if (tokens.isEmpty()) {
        none.add(a.account());
      }
    }
    assertThat(planRows(out, PartitionQuery.BINDING)).isEqualTo(expected);
    assertThat(
            outcomes(out, PartitionQuery.NO_BINDING).stream()
                .map(row -> row.getString(1))
                .collect(Collectors.toSet()))
        .isEqualTo(none)
        .isNotEmpty();

    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, "token\ntok-3-0\nnever-seen\n");
    Path byToken = dir.resolve("by-token");
    String[] t =
        runPrinting(
            "--mode",
            "export",
            "--by",
            "token",
            "--input",
            tokens.toString(),
            "--output",
            byToken.toString());
    assertThat(t[0]).as(t[1]).isEqualTo("0");
    assertThat(planRows(byToken, PartitionQuery.BINDING)).containsExactly("tok-3-0|intruder-3|1");
    assertThat(outcomes(byToken, PartitionQuery.NO_BINDING)).hasSize(1);
  }

  @Test
  void aTokenWantedForTwoAccountsOfOneTypeHoldsBothAccountsBack(@TempDir Path dir)
      throws Exception {
    tpns.setRequireRegisteredTokens(false);
    tpns.bind("t1", Account.of("alice", 1));
    tpns.bind("t2", Account.of("alice", 1));
    Path wanted = dir.resolve("wanted.csv");
    Files.writeString(
        wanted, "token,account,account_type\nt1,alice,1\nt1,bob,01\nt2,alice,1\nt3,carol,1\n");
    Path out = dir.resolve("p");
    String[] r =
        runPrinting(
            "--mode",
            "reconcile",
            "--apply",
            "--input",
            wanted.toString(),
            "--output",
            out.toString());
    assertThat(r[0]).as(r[1]).isEqualTo("1");
    assertThat(r[1]).contains("not applied");
    assertThat(
            outcomes(out, PartitionQuery.HELD_BACK).stream()
                .map(row -> row.getString(0) + "|" + row.getString(1))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("t1|alice", "t1|bob", "t2|alice");
    assertThat(planRows(out, PartitionQuery.TO_BIND)).containsExactly("t3|carol|1");
    assertThat(tpns.tokensOf(Account.of("carol", 1))).isEmpty();
    assertThat(tpns.tokensOf(Account.of("alice", 1))).containsExactly("t1", "t2");
  }

  // ---- one CSV dialect: the messy-row table of sdk-cli, each row with the fate the CLI gives it

  @Test
  void everyMessyRowHasTheFateItHasInTheCli(@TempDir Path dir) throws Exception {
    assertFates("messy-rows", dir);
  }

  @Test
  void aReorderedHeaderMakesAHashRowDataAsInTheCli(@TempDir Path dir) throws Exception {
    assertFates("messy-reordered", dir);
  }

  /**
   * The job on {@code NAME.csv}: each ROW of {@code NAME.fates.csv} bound (the last of a token and
   * type; earlier ones superseded), each REJECTED one in outcome=rejected with its line, a reason
   * holding the table's, and its text verbatim; SKIPPED ones not counted.
   */
  private void assertFates(String name, Path dir) throws Exception {
    tpns.setRequireRegisteredTokens(false);
    Path messy = Path.of(System.getProperty("messy.dir"));
    Path input = messy.resolve(name + ".csv");
    List<io.github.tpns4j.cli.csv.Csv.Record> fates = new java.util.ArrayList<>();
    try (var r =
        new io.github.tpns4j.cli.csv.Csv.Reader(
            Files.newInputStream(messy.resolve(name + ".fates.csv")))) {
      r.next(); // line,fate,token,account,account_type,reason
      for (var rec = r.next(); rec != null; rec = r.next()) {
        fates.add(rec);
      }
    }
    Path out = dir.resolve("out");
    Summary s = MigrateMode.migrate(spark, settings(), options(out, 2, input.toString()));

    java.util.Map<String, List<String>> rowsOfKey = new java.util.LinkedHashMap<>();
    java.util.Map<Long, String> rejected = new java.util.TreeMap<>();
    for (var f : fates) {
      List<String> v = f.fields;
      if (v.get(1).equals("ROW")) {
        String type = v.get(4).isEmpty() ? "0" : v.get(4);
        rowsOfKey
            .computeIfAbsent(v.get(2) + "|" + type, k -> new java.util.ArrayList<>())
            .add(v.get(3));
      } else {
        rejected.put(Long.parseLong(v.get(0)), v.get(5));
      }
    }
    Set<String> superseded = new HashSet<>();
    rowsOfKey.forEach(
        (key, accounts) -> {
          String token = key.substring(0, key.indexOf('|'));
          int type = Integer.parseInt(key.substring(key.indexOf('|') + 1));
          String last = accounts.get(accounts.size() - 1);
          assertThat(tpns.accountsOf(token)).as(key).contains(Account.of(last, type));
          accounts.subList(0, accounts.size() - 1).forEach(a -> superseded.add(token + "|" + a));
        });
    assertThat(
            outcomes(out, PartitionMigration.SUPERSEDED).stream()
                .map(r -> r.<String>getAs("token") + "|" + r.<String>getAs("account"))
                .collect(Collectors.toSet()))
        .isEqualTo(superseded);

    List<String> lines = readLines(input);
    java.util.Map<Long, String> reasons = new java.util.TreeMap<>();
    for (Row r : outcomes(out, PartitionMigration.REJECTED)) {
      long line = Long.parseLong(r.getAs("line"));
      reasons.put(line, r.getAs("reason"));
      String original = r.getAs("original row");
      if (!original.contains("\n")) {
        assertThat(original).as("line %d verbatim", line).isEqualTo(lines.get((int) line - 1));
      }
      assertThat(r.<String>getAs("file")).endsWith(name + ".csv");
    }
    assertThat(reasons.keySet()).isEqualTo(rejected.keySet());
    rejected.forEach(
        (line, reason) -> assertThat(reasons.get(line)).as("line " + line).contains(reason));

    assertThat(s.rows).isEqualTo(fates.size());
    assertThat(s.count(PartitionMigration.REJECTED)).isEqualTo(rejected.size());
    assertThat(s.count(PartitionMigration.SUPERSEDED)).isEqualTo(superseded.size());
    assertThat(s.bound).isEqualTo(rowsOfKey.size());
  }

  /** A file's lines as the CSV reader numbers them: no BOM, no line ends. */
  private static List<String> readLines(Path file) throws Exception {
    String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return List.of(text.split("\r?\n", -1));
  }

  @Test
  void rejectedRowsFixedInTheirFolderRunWithTheirOriginalLines(@TempDir Path dir) throws Exception {
    tpns.setRequireRegisteredTokens(false);
    Path input = dir.resolve("in.csv");
    Files.writeString(
        input, "token,account,account_type\nok-1,alice,1\nbad-1,bob,one\nok-2,carol,\n,dave,2\n");
    Path out = dir.resolve("out");
    String[] first = runPrinting("--input", input.toString(), "--output", out.toString());
    assertThat(first[0]).as(first[1]).isEqualTo("1");
    assertThat(first[1]).contains("2 rejected");
    List<String[]> next = printedCommands(first[1]);
    assertThat(next).as(first[1]).hasSize(1);
    // the user fixes the two rows in place, in the folder's original row column
    Path part;
    try (var files = Files.list(out.resolve("outcome=rejected"))) {
      part = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    Files.writeString(
        part,
        Files.readString(part)
            .replace("bad-1,bob,one", "bad-1,bob,1")
            .replace(",dave,2", "t-4,dave,2"));
    String[] fixed = runPrinting(next.get(0));
    assertThat(fixed[0]).as(fixed[1]).isEqualTo("0");
    assertThat(tpns.accountsOf("bad-1")).containsExactly(Account.of("bob", 1));
    assertThat(tpns.accountsOf("t-4")).containsExactly(Account.of("dave", 2));

    // unfixed, the rows are rejected again with the lines of the first file
    Files.writeString(part, Files.readString(part).replace("bad-1,bob,1", "bad-1,bob,uno"));
    String[] again =
        runPrinting(next.get(0)[0], next.get(0)[1], "--output", dir.resolve("o3").toString());
    assertThat(again[0]).as(again[1]).isEqualTo("1");
    assertThat(outcomes(dir.resolve("o3"), PartitionMigration.REJECTED))
        .singleElement()
        .satisfies(r -> assertThat(r.<String>getAs("line")).isEqualTo("3"));
  }

  @Test
  void deleteAccountsReportsTheRowsUnbound(@TempDir Path dir) throws Exception {
    tpns.setRequireRegisteredTokens(false);
    tpns.bind("t1", Account.of("alice", 0));
    Path input = dir.resolve("unbind.csv");
    Files.writeString(input, "token,account,account_type\nt1,alice,\n");
    String[] r =
        runPrinting(
            "--input",
            input.toString(),
            "--output",
            dir.resolve("o").toString(),
            "--operation",
            "delete-accounts");
    assertThat(r[0]).as(r[1]).isEqualTo("0");
    assertThat(r[1]).contains("1 rows: 1 unbound,");
    assertThat(tpns.accountsOf("t1")).isEmpty();
  }

  @Test
  void exportAndReconcileHaveDemosOnTheirOwnFake(@TempDir Path dir) throws Exception {
    String[] export = demo("--mode", "export", "--output", dir.resolve("export").toString());
    assertThat(export[0]).as(export[1]).isEqualTo("0");
    assertThat(export[1].lines().findFirst().orElse("")).startsWith("DEMO:");
    assertThat(export[1]).contains("Export: 285 bindings").contains("5 accounts with none");

    String[] plan = demo("--mode", "reconcile", "--output", dir.resolve("plan").toString());
    assertThat(plan[0]).as(plan[1]).isEqualTo("1");
    assertThat(plan[1].lines().findFirst().orElse("")).startsWith("DEMO:");
    assertThat(plan[1]).contains("Plan: 25 bindings to add").contains("10 to remove");
    assertThat(printedCommands(plan[1])).isEmpty();

    String[] apply =
        demo("--mode", "reconcile", "--apply", "--output", dir.resolve("apply").toString());
    assertThat(apply[0]).as(apply[1]).isEqualTo("0");
    assertThat(apply[1]).contains("25 rows: 25 bound").contains("10 rows: 10 unbound");
    assertThat(printedCommands(apply[1])).isEmpty();
  }

  /** A demo run: no --input, no credentials. */
  private String[] demo(String... args) throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int code;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = BindingMigration.run(args, name -> null, spark);
    } finally {
      System.setOut(old);
    }
    return new String[] {
      Integer.toString(code), buf.toString(java.nio.charset.StandardCharsets.UTF_8)
    };
  }

  @Test
  void aHiddenFileNamedAsTheInputIsRefusedNotSkipped(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("_users.csv");
    Files.writeString(input, "t1,alice,1\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MigrateMode.migrate(
                    spark, settings(), options(dir.resolve("out"), 1, input.toString())))
        .hasMessageContaining("_users.csv")
        .hasMessageContaining("another name");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aRejectedRowOfAReorderedFileIsReadInItsOwnColumnOrderOnceFixed(@TempDir Path dir)
      throws Exception {
    tpns.setRequireRegisteredTokens(false);
    Path input = Path.of(System.getProperty("messy.dir")).resolve("messy-reordered.csv");
    Path out = dir.resolve("out");
    String[] first = runPrinting("--input", input.toString(), "--output", out.toString());
    assertThat(first[0]).as(first[1]).isEqualTo("1");
    List<String[]> next = printedCommands(first[1]);
    assertThat(next).as(first[1]).hasSize(1);
    Path part;
    try (var files = Files.list(out.resolve("outcome=rejected"))) {
      part = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    assertThat(Files.readString(part)).contains("account,token,account_type");
    // the user drops the extra column of line 4, account first as in its file
    Files.writeString(part, Files.readString(part).replace("bob,t-3,2,extra", "bob,t-3,2"));
    String[] fixed = runPrinting(next.get(0));
    assertThat(fixed[0]).as(fixed[1]).isEqualTo("0");
    assertThat(tpns.accountsOf("t-3")).containsExactly(Account.of("bob", 2));
    assertThat(tpns.accountsOf("bob")).isEmpty();
  }
}
