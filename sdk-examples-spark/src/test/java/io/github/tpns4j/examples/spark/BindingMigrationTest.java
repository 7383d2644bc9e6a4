package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
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
            .master("local[4]")
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

  private static BindingMigration.Options options(
      Path output, int callsInFlight, String... inputs) {
    BindingMigration.Options o = new BindingMigration.Options();
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
    return spark.read().option("header", "true").csv(dir.toString()).collectAsList();
  }

  @Test
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
    BindingMigration.Summary s =
        BindingMigration.run(spark, settings(), options(output, 32, input.toString()));

    long expectedRejected =
        java.util.stream.IntStream.range(0, n).filter(i -> malformed(i)).count();
    long expectedRefused =
        java.util.stream.IntStream.range(0, n)
            .filter(i -> !malformed(i) && unknown.contains(token(i)))
            .count();
    assertThat(s.rows).isEqualTo(n);
    assertThat(s.rejected).isEqualTo(expectedRejected);
    assertThat(s.refused).isEqualTo(expectedRefused);
    assertThat(s.neverSent).isZero();
    assertThat(s.bound + s.refused + s.rejected + s.neverSent).isEqualTo(n);
    assertThat(s.stops).isEmpty();

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
    assertThat(rejected).anySatisfy(r -> assertThat(r.<String>getAs("detail")).contains("blank"));
    assertThat(rejected).anySatisfy(r -> assertThat(r.<String>getAs("detail")).contains("\"x\""));
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
    BindingMigration.Options o = options(dir.resolve("out"), 8, parquet.toString());
    o.format = "parquet";
    BindingMigration.Summary s = BindingMigration.run(spark, settings(), o);
    assertThat(s.rows).isEqualTo(2_000);
    assertThat(s.rejected).isEqualTo(4);
    assertThat(s.bound).isEqualTo(1_996);
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
    // 16 calls x 3 attempts answered 500: the partition stops after the 16th call in a row
    for (int i = 0; i < 48; i++) {
      tpns.enqueueFailure(FakeFailure.httpStatus(500, "down"));
    }
    Path output = dir.resolve("out");
    BindingMigration.Options o = options(output, 4, input.toString()); // 1 call per task
    o.partitions = 1;
    BindingMigration.Summary first = BindingMigration.run(spark, settings(), o);
    assertThat(first.stops).singleElement().asString().contains("500");
    assertThat(first.refused).isEqualTo(16 * 20);
    assertThat(first.neverSent).isEqualTo(n - 16 * 20);
    assertThat(first.bound).isZero();
    assertThat(tpns.requestCount()).isEqualTo(48);
    // never_sent holds exactly the rows that were not sent: all from the 321st row on
    Set<String> neverSent =
        outcomes(output, PartitionMigration.NEVER_SENT).stream()
            .map(r -> r.<String>getAs("token"))
            .collect(Collectors.toSet());
    Set<String> expected = new HashSet<>();
    for (int i = 16 * 20; i < n; i++) {
      expected.add(token(i));
    }
    assertThat(neverSent).isEqualTo(expected);
    assertThat(outcomes(output, PartitionMigration.REFUSED))
        .allSatisfy(r -> assertThat(r.<String>getAs("detail")).isEqualTo("NO_ANSWER"));

    // the second run, on the outputs, completes the migration
    Path again = dir.resolve("out2");
    BindingMigration.Summary second =
        BindingMigration.run(
            spark,
            settings(),
            options(
                again,
                32,
                output.resolve("outcome=refused").toString(),
                output.resolve("outcome=never_sent").toString()));
    assertThat(second.allBound()).isTrue();
    assertThat(second.rows).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(tpns.accountsOf(token(i))).containsExactly(Account.of(user(i), 1005));
    }
  }
}
