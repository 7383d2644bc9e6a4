package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A binding migration as a Spark job: rows {@code token, account, account_type} from any Spark
 * source (CSV or Parquet here) through {@code bulkOperate}, one bulk run per partition on a {@code
 * TpnsClient} shared by the tasks of each executor JVM. Writes, partitioned by {@code outcome}, the
 * rows TPNS refused ({@code outcome=refused}, with the per-item code), the rows rejected before
 * sending ({@code outcome=rejected}, with the reason) and the rows never sent because their
 * partition stopped ({@code outcome=never_sent}, with the stop's cause); with the bound rows
 * (counted) they account for every input row once. Re-running the job on the {@code refused} and
 * {@code never_sent} outputs finishes the migration.
 *
 * <pre>
 * BindingMigration --input PATH[,PATH...] --output DIR [--format csv|parquet]
 *     [--operation overwrite|delete-accounts|delete-all-for-tokens|delete-all-for-accounts]
 *     [--calls-in-flight N] [--partitions N]
 * </pre>
 *
 * <p>Credentials from the environment: {@code TPNS_ACCESS_ID}, {@code TPNS_SECRET_KEY}, and {@code
 * TPNS_REGION} or {@code TPNS_BASE_URL}. Without them (and without {@code --input}) it migrates the
 * bundled sample against an in-process fake server that knows 99 % of its tokens. Exit code 0 when
 * every row was bound, 1 otherwise, 2 for a usage error.
 */
public final class BindingMigration {
  static final StructType INPUT =
      new StructType()
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.StringType);
  static final StructType OUTCOMES =
      INPUT.add("outcome", DataTypes.StringType).add("detail", DataTypes.StringType);

  /** What a run did. The four counts add up to {@code rows}. */
  static final class Summary {
    final long rows;
    final long bound;
    final long refused;
    final long rejected;
    final long neverSent;
    final List<String> stops;

    Summary(
        long rows, long bound, long refused, long rejected, long neverSent, List<String> stops) {
      this.rows = rows;
      this.bound = bound;
      this.refused = refused;
      this.rejected = rejected;
      this.neverSent = neverSent;
      this.stops = stops;
    }

    boolean allBound() {
      return bound == rows;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d rows: %d bound, %d refused, %d rejected, %d never sent (%d partitions stopped)",
          rows,
          bound,
          refused,
          rejected,
          neverSent,
          stops.size());
    }
  }

  /** The command line. */
  static final class Options {
    List<String> inputs = new ArrayList<>();
    String format = "csv";
    String output = "migration-out";
    Operation operation = Operation.OVERWRITE;
    int callsInFlight = 32;
    int partitions;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--input":
            o.inputs.addAll(Arrays.asList(v.split(",")));
            break;
          case "--format":
            o.format = v.toLowerCase(Locale.ROOT);
            if (!o.format.equals("csv") && !o.format.equals("parquet")) {
              throw new IllegalArgumentException("--format is csv or parquet, not " + v);
            }
            break;
          case "--output":
            o.output = v;
            break;
          case "--operation":
            o.operation = Operation.parse(v);
            break;
          case "--calls-in-flight":
            o.callsInFlight = Integer.parseInt(v);
            break;
          case "--partitions":
            o.partitions = Integer.parseInt(v);
            break;
          default:
            throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        i++;
      }
      return o;
    }
  }

  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = Options.parse(args);
    } catch (RuntimeException e) {
      System.err.println("BindingMigration: " + e.getMessage());
      System.err.println(
          "usage: BindingMigration --input PATH[,PATH] --output DIR [--format csv|parquet]"
              + " [--operation overwrite|...] [--calls-in-flight N] [--partitions N]");
      System.exit(2);
      return;
    }
    String accessId = System.getenv("TPNS_ACCESS_ID");
    String secretKey = System.getenv("TPNS_SECRET_KEY");
    FakeTpnsServer fake = null;
    if (isBlank(accessId) || isBlank(secretKey)) {
      fake = FakeTpnsServer.start();
      accessId = fake.accessId();
      secretKey = fake.secretKey();
      System.out.println(
          "TPNS_ACCESS_ID/TPNS_SECRET_KEY not set: using an in-process fake TPNS server");
    }
    SparkSession.Builder b = SparkSession.builder().appName("tpns4j-binding-migration");
    if (System.getProperty("spark.master") == null) {
      b.master("local[4]"); // spark-submit sets the master; a plain java run is local
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int code;
    try {
      if (o.inputs.isEmpty()) {
        o.inputs.add(sample().toString());
        o.format = "csv";
        if (fake != null) {
          knowAllButOnePercent(fake, spark, o.inputs);
        }
      }
      MigrationSettings settings =
          new MigrationSettings(
              accessId,
              secretKey,
              fake != null ? fake.baseUrl() : emptyToNull(System.getenv("TPNS_BASE_URL")),
              emptyToNull(System.getenv("TPNS_REGION")),
              o.operation,
              1);
      Summary s = run(spark, settings, o);
      System.out.println(s);
      s.stops.forEach(c -> System.out.println("  a partition stopped: " + c));
      System.out.println("outcomes written under " + Path.of(o.output).toAbsolutePath());
      List<String> left = new ArrayList<>();
      for (String outcome :
          new String[] {PartitionMigration.REFUSED, PartitionMigration.NEVER_SENT}) {
        Path p = Path.of(o.output, "outcome=" + outcome).toAbsolutePath();
        if (Files.isDirectory(p)) {
          left.add(p.toString());
        }
      }
      if (!left.isEmpty()) {
        System.out.println(
            "finish the migration by running the job again with --input " + String.join(",", left));
      }
      if (s.rejected > 0) {
        System.out.println(
            "fix the rows in "
                + Path.of(o.output, "outcome=" + PartitionMigration.REJECTED).toAbsolutePath()
                + " (the detail column says why) and run them too");
      }
      code = s.allBound() ? 0 : 1;
    } finally {
      spark.stop();
      ExecutorClients.closeAll();
      if (fake != null) {
        fake.close();
      }
    }
    System.exit(code);
  }

  /** Runs the migration and writes its outcomes; returns the counts. */
  static Summary run(SparkSession spark, MigrationSettings base, Options o) {
    Dataset<Row> rows = read(spark, o.format, o.inputs);
    if (o.partitions > 0) {
      rows =
          o.partitions < rows.rdd().getNumPartitions()
              ? rows.coalesce(o.partitions)
              : rows.repartition(o.partitions);
    }
    // The job's budget of calls in flight, spread over the tasks that run at once.
    int concurrentTasks = Math.max(1, spark.sparkContext().defaultParallelism());
    int perTask = Math.max(1, Math.min(64, o.callsInFlight / concurrentTasks));
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId, base.secretKey, base.baseUrl, base.region, o.operation, perTask);
    PartitionMigration.Counters counters =
        new PartitionMigration.Counters(
            spark.sparkContext().longAccumulator("rows"),
            spark.sparkContext().longAccumulator("bound"),
            spark.sparkContext().longAccumulator("refused"),
            spark.sparkContext().longAccumulator("rejected"),
            spark.sparkContext().longAccumulator("never sent"),
            spark.sparkContext().collectionAccumulator("stops"));
    Dataset<Row> outcomes =
        rows.mapPartitions(new PartitionMigration(settings, counters), Encoders.row(OUTCOMES));
    outcomes
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("outcome")
        .option("header", "true")
        .csv(o.output);
    return new Summary(
        counters.rows.value(),
        counters.bound.value(),
        counters.refused.value(),
        counters.rejected.value(),
        counters.neverSent.value(),
        new ArrayList<>(counters.stops.value()));
  }

  /** Any source with the three columns, as strings; other columns (outcome, detail) are ignored. */
  static Dataset<Row> read(SparkSession spark, String format, List<String> inputs) {
    String[] paths = inputs.toArray(new String[0]);
    Dataset<Row> raw =
        format.equals("parquet")
            ? spark.read().parquet(paths)
            : spark.read().option("header", "true").option("enforceSchema", "false").csv(paths);
    List<String> names = Arrays.asList(raw.columns());
    Column[] cols = new Column[3];
    String[] wanted = {"token", "account", "account_type"};
    for (int i = 0; i < 3; i++) {
      cols[i] =
          (names.contains(wanted[i]) ? col(wanted[i]) : lit(null))
              .cast(DataTypes.StringType)
              .as(wanted[i]);
    }
    return raw.select(cols);
  }

  /** The bundled sample, copied out of the jar for Spark to read. */
  static Path sample() throws IOException {
    Path dir = Files.createTempDirectory("tpns4j-sample");
    Path file = dir.resolve("sample-bindings.csv");
    try (InputStream in = BindingMigration.class.getResourceAsStream("/sample-bindings.csv")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    file.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return file;
  }

  /** The demo: the fake knows every token of the input but one in a hundred. */
  static void knowAllButOnePercent(FakeTpnsServer fake, SparkSession spark, List<String> inputs) {
    fake.setRequireRegisteredTokens(true);
    List<Row> tokens = read(spark, "csv", inputs).select("token").collectAsList();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i).getString(0);
      if (t != null && i % 100 != 7) {
        fake.registerToken(t.trim());
      }
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static String emptyToNull(String s) {
    return isBlank(s) ? null : s;
  }
}
