package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * A binding migration as a Spark job: rows {@code token, account, account_type} from any Spark
 * source (CSV or Parquet here) through {@code bulkOperate}, on a {@code TpnsClient} shared by the
 * tasks of each executor JVM. Rows of one token (one account, for {@code delete-all-for-accounts})
 * go to one partition, in input order; a run writes, partitioned by {@code outcome}, every row that
 * was not bound: {@code rejected}, {@code superseded}, {@code refused}, {@code failed} and {@code
 * never_sent} (see {@link PartitionMigration}). Counts come from what was written, so a task Spark
 * runs twice is counted once.
 *
 * <pre>
 * BindingMigration [--input PATH[,PATH...]] [--output DIR] [--format csv|parquet]
 *     [--operation overwrite|delete-accounts|delete-all-for-tokens|delete-all-for-accounts]
 *     [--calls-in-flight N] [--partitions N]
 * </pre>
 *
 * <p>Credentials from the environment: {@code TPNS_ACCESS_ID}, {@code TPNS_SECRET_KEY}, and {@code
 * TPNS_REGION} or {@code TPNS_BASE_URL}. With {@code --input} they are required: the job exits 2
 * before Spark starts without them. Without {@code --input} it is the demo: the bundled sample
 * against an in-process fake server that knows 99 % of its tokens, which it says on its first line.
 * CSV is RFC 4180 both ways (quotes doubled inside quoted fields, line breaks inside quotes), the
 * dialect of BulkImport, Python's {@code csv} and spreadsheets. No run deletes or overwrites what
 * it reads, nor an earlier run's output. Exit code 0 when every row was bound, 1 when rows are left
 * (in the outputs), 2 when the job could not run.
 */
public final class BindingMigration {
  static final StructType INPUT =
      new StructType()
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.StringType);
  static final StructType OUTCOMES =
      INPUT.add("outcome", DataTypes.StringType).add("detail", DataTypes.StringType);
  static final String DEFAULT_OUTPUT = "migration-out";
  static final String COMMAND = "mvn -B -q -pl sdk-examples-spark exec:java";

  /** The job cannot run as asked: one line, exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** What a run did, counted from its outputs. The counts add up to {@code rows}. */
  static final class Summary {
    final long rows;
    final long bound;
    final Map<String, Long> written; // outcome -> rows
    final List<String> stops;

    Summary(long rows, Map<String, Long> written, List<String> stops) {
      this.rows = rows;
      this.written = written;
      this.stops = stops;
      long notBound = 0;
      for (long n : written.values()) {
        notBound += n;
      }
      this.bound = rows - notBound;
    }

    long count(String outcome) {
      return written.getOrDefault(outcome, 0L);
    }

    /** Every row bound; a superseded row counts as done (the later row of its key was bound). */
    boolean allBound() {
      return bound + count(PartitionMigration.SUPERSEDED) == rows;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d rows: %d bound, %d superseded, %d refused, %d to retry, %d rejected, %d never sent"
              + " (%d partitions stopped)",
          rows,
          bound,
          count(PartitionMigration.SUPERSEDED),
          count(PartitionMigration.REFUSED),
          count(PartitionMigration.FAILED),
          count(PartitionMigration.REJECTED),
          count(PartitionMigration.NEVER_SENT),
          stops.size());
    }
  }

  /** The command line. */
  static final class Options {
    List<String> inputs = new ArrayList<>();
    String format = "csv";
    String output = DEFAULT_OUTPUT;
    boolean outputGiven;
    Operation operation = Operation.OVERWRITE;
    int callsInFlight = 32;
    int partitions;

    static Options parse(String[] args) throws UsageException {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null) {
          throw new UsageException(args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--input":
            for (String p : v.split(",")) {
              if (!p.isBlank()) {
                o.inputs.add(p.trim());
              }
            }
            break;
          case "--format":
            o.format = v.toLowerCase(Locale.ROOT);
            if (!o.format.equals("csv") && !o.format.equals("parquet")) {
              throw new UsageException("--format is csv or parquet, not " + v);
            }
            break;
          case "--output":
            o.output = v;
            o.outputGiven = true;
            break;
          case "--operation":
            try {
              o.operation = Operation.parse(v);
            } catch (IllegalArgumentException e) {
              throw new UsageException(
                  "--operation is overwrite, delete-accounts, delete-all-for-tokens or"
                      + " delete-all-for-accounts, not "
                      + v);
            }
            break;
          case "--calls-in-flight":
            o.callsInFlight = number(args[i], v, 1, 100_000);
            break;
          case "--partitions":
            o.partitions = number(args[i], v, 1, 1_000_000);
            break;
          default:
            throw new UsageException("unexpected argument " + args[i]);
        }
        i++;
      }
      return o;
    }

    private static int number(String option, String v, int min, int max) throws UsageException {
      try {
        int n = Integer.parseInt(v.trim());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new UsageException(
          option + " takes a number from " + min + " to " + max + ", not " + v);
    }
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System::getenv);
    } catch (Throwable t) {
      // One clear line, and a non-zero exit, whatever went wrong (a missing path, a crash).
      System.out.println("BindingMigration: stopped by an error: " + t);
      code = 2;
    }
    System.exit(code);
  }

  /** The whole job as a user runs it; returns the exit code. */
  static int run(String[] args, java.util.function.UnaryOperator<String> env) throws IOException {
    return run(args, env, null);
  }

  /**
   * @param session the Spark session to run in (tests); null to start one and stop it at the end
   */
  static int run(String[] args, java.util.function.UnaryOperator<String> env, SparkSession session)
      throws IOException {
    Options o;
    String accessId = env.apply("TPNS_ACCESS_ID");
    String secretKey = env.apply("TPNS_SECRET_KEY");
    boolean demo;
    try {
      o = Options.parse(args);
      demo = o.inputs.isEmpty();
      if (!demo && (isBlank(accessId) || isBlank(secretKey))) {
        throw new UsageException(
            (isBlank(accessId) && isBlank(secretKey)
                    ? "TPNS_ACCESS_ID and TPNS_SECRET_KEY are"
                    : isBlank(accessId) ? "TPNS_ACCESS_ID is" : "TPNS_SECRET_KEY is")
                + " not set: --input is your data, so the job needs real TPNS (set them, and"
                + " TPNS_REGION or TPNS_BASE_URL, in the environment of the driver). Without"
                + " --input it runs the demo against the built-in fake. Nothing was started");
      }
      checkPaths(o);
    } catch (UsageException e) {
      System.out.println("BindingMigration: " + e.getMessage());
      System.out.println(
          "usage: BindingMigration [--input PATH[,PATH]] [--output DIR] [--format csv|parquet]"
              + " [--operation overwrite|...] [--calls-in-flight N] [--partitions N]");
      return 2;
    }
    FakeTpnsServer fake = null;
    if (demo) {
      fake = FakeTpnsServer.start();
      accessId = fake.accessId();
      secretKey = fake.secretKey();
      System.out.println(
          "DEMO: the bundled sample against an in-process fake TPNS server (no --input given)");
    }
    SparkSession spark = session;
    if (spark == null) {
      SparkSession.Builder b = SparkSession.builder().appName("tpns4j-binding-migration");
      if (System.getProperty("spark.master") == null) {
        b.master("local[4]"); // spark-submit sets the master; a plain java run is local
      }
      spark = b.getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    try {
      if (demo && !spark.sparkContext().isLocal()) {
        System.out.println(
            "BindingMigration: the demo runs in local mode only (its fake server lives in the"
                + " driver, out of the executors' reach); on a cluster, give --input and"
                + " TPNS_ACCESS_ID/TPNS_SECRET_KEY");
        return 2;
      }
      if (demo) {
        o.inputs.add(sample().toString());
        o.format = "csv";
        knowAllButOnePercent(fake, spark, o.inputs);
      }
      if (exists(spark, o.output)) {
        if (!o.outputGiven) {
          // The default output holds an earlier run's outcomes: keep them, write beside them.
          String earlier = o.output;
          o.output = fresh(spark, o.output, new java.util.HashSet<>());
          System.out.println(earlier + " holds an earlier run's outcomes: writing to " + o.output);
        } else {
          System.out.println(
              "BindingMigration: --output "
                  + o.output
                  + " exists, with an earlier run's outcomes; nothing is overwritten. Give a new"
                  + " --output, e.g. --output "
                  + fresh(spark, o.output, new java.util.HashSet<>()));
          return 2;
        }
      }
      MigrationSettings settings =
          new MigrationSettings(
              accessId,
              secretKey,
              fake != null ? fake.baseUrl() : emptyToNull(env.apply("TPNS_BASE_URL")),
              emptyToNull(env.apply("TPNS_REGION")),
              o.operation,
              1);
      Summary s = run(spark, settings, o);
      report(spark, s, o, demo);
      return s.allBound() ? 0 : 1;
    } finally {
      if (session == null) {
        spark.stop();
      }
      ExecutorClients.closeAll();
      if (fake != null) {
        fake.close();
      }
    }
  }

  /** What the run did, and each next step as a whole command. */
  private static void report(SparkSession spark, Summary s, Options o, boolean demo)
      throws IOException {
    System.out.println(s);
    s.stops.forEach(c -> System.out.println("  a partition stopped: " + c));
    String out = absolute(o.output);
    System.out.println("outcomes written under " + out);
    List<String> retry = new ArrayList<>();
    for (String outcome : new String[] {PartitionMigration.FAILED, PartitionMigration.NEVER_SENT}) {
      if (s.count(outcome) > 0) {
        retry.add(out + "/outcome=" + outcome);
      }
    }
    java.util.Set<String> taken = new java.util.HashSet<>();
    String next = fresh(spark, o.output, taken);
    if (s.count(PartitionMigration.REFUSED) > 0) {
      System.out.println(
          s.count(PartitionMigration.REFUSED)
              + " rows TPNS refused are in "
              + out
              + "/outcome=refused (detail: the code); sent unchanged they fail again."
              + (demo
                  ? " (In the demo the fake refused them: there is nothing to fix.)"
                  : " Fix what the code says (1008006: the token is not registered), then run:"));
      if (!demo) {
        System.out.println("  " + command(o, out + "/outcome=refused", next));
        next = fresh(spark, o.output, taken);
      }
    }
    if (s.count(PartitionMigration.REJECTED) > 0) {
      System.out.println(
          s.count(PartitionMigration.REJECTED)
              + " malformed rows are in "
              + out
              + "/outcome=rejected (detail: why); "
              + (demo
                  ? "in the demo they are malformed on purpose."
                  : "fix them there, then run them the same way."));
    }
    if (!retry.isEmpty()) {
      System.out.println(
          s.count(PartitionMigration.FAILED)
              + s.count(PartitionMigration.NEVER_SENT)
              + " rows are worth sending again unchanged. "
              + (demo
                  ? "(In the demo they went to the fake; with your data, run the same with"
                      + " --input and your credentials.)"
                  : "Retry them with:"));
      if (!demo) {
        System.out.println("  " + command(o, String.join(",", retry), next));
      }
    }
  }

  /** The README's way to run the job, with these inputs and output (csv: what the job wrote). */
  private static String command(Options o, String inputs, String output) {
    return COMMAND
        + " -Dmigration.args=\"--input "
        + inputs
        + " --output "
        + output
        + (o.operation != Operation.OVERWRITE
            ? " --operation " + o.operation.name().toLowerCase(Locale.ROOT).replace('_', '-')
            : "")
        + "\"";
  }

  /**
   * Refuses, before Spark starts, an output that is an input, holds one, or lies inside one: Spark
   * would delete it (or read its own output) before reading.
   */
  static void checkPaths(Options o) throws UsageException {
    String out = normalized(o.output);
    for (String in : o.inputs) {
      String i = normalized(in);
      if (out.equals(i) || i.startsWith(out + "/") || out.startsWith(i + "/")) {
        throw new UsageException(
            "--output "
                + o.output
                + (out.equals(i)
                    ? " is also an --input"
                    : i.startsWith(out + "/")
                        ? " holds the --input " + in
                        : " lies inside the --input " + in)
                + "; writing it would lose what the job reads. Give a new --output, e.g. --output "
                + o.output.replaceAll("/+$", "")
                + "-2");
      }
    }
  }

  private static String normalized(String path) {
    URI uri = URI.create(path.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      Path p = uri.getScheme() == null ? Path.of(path) : Path.of(uri);
      return "file:" + p.toAbsolutePath().normalize();
    }
    return uri.normalize().toString().replaceAll("/+$", "");
  }

  private static String absolute(String path) {
    String n = normalized(path);
    return n.startsWith("file:") ? n.substring("file:".length()) : n;
  }

  private static boolean exists(SparkSession spark, String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
  }

  /** {@code path-2}, {@code path-3}, ...: the first that does not exist and is not taken. */
  private static String fresh(SparkSession spark, String path, java.util.Set<String> taken)
      throws IOException {
    String stem = path.replaceAll("/+$", "").replaceAll("-\\d+$", "");
    for (int k = 2; ; k++) {
      String candidate = absolute(stem + "-" + k);
      if (!exists(spark, candidate) && taken.add(candidate)) {
        return candidate;
      }
    }
  }

  /**
   * Runs the migration and writes its outcomes; returns the counts, read back from what was written
   * (exact when Spark runs a task twice).
   */
  static Summary run(SparkSession spark, MigrationSettings base, Options o) {
    Dataset<Row> rows = read(spark, o.format, o.inputs);
    // The job's budget of calls in flight holds whatever the cluster's size: at most that many
    // partitions, each with its share of the budget, so even if all run at once they stay within.
    int partitions =
        Math.max(
            1,
            Math.min(
                o.callsInFlight,
                o.partitions > 0 ? o.partitions : spark.sparkContext().defaultParallelism()));
    int perTask = Math.max(1, Math.min(64, o.callsInFlight / partitions));
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId, base.secretKey, base.baseUrl, base.region, o.operation, perTask);
    Dataset<Row> ordered = ordered(rows, o.operation, partitions);
    CollectionAccumulator<String> stops = spark.sparkContext().collectionAccumulator("stops");
    Dataset<Row> outcomes =
        ordered.mapPartitions(new PartitionMigration(settings, stops), Encoders.row(OUTCOMES));
    csv(outcomes.write().mode(SaveMode.ErrorIfExists).partitionBy("outcome")).csv(o.output);

    long total = rows.count();
    Map<String, Long> written = new LinkedHashMap<>();
    Dataset<Row> back = readOutcomes(spark, o.output);
    if (back != null) {
      for (Row r : back.groupBy("outcome").count().collectAsList()) {
        written.put(r.getString(0), r.getLong(1));
      }
    }
    return new Summary(total, written, new ArrayList<>(new LinkedHashSet<>(stops.value())));
  }

  /**
   * Rows of one key (token; account for {@code delete-all-for-accounts}) in one partition, grouped,
   * the latest input row first. Input order is the order of rows in a file; across files, the order
   * Spark reads them in.
   */
  static Dataset<Row> ordered(Dataset<Row> rows, Operation operation, int partitions) {
    Column key =
        operation == Operation.DELETE_ALL_FOR_ACCOUNTS ? trim(col("account")) : trim(col("token"));
    Column type =
        coalesce(
            expr("try_cast(trim(account_type) AS INT)"),
            when(trim(col("account_type")).equalTo("").or(col("account_type").isNull()), lit(0)));
    return rows.withColumn("_row", monotonically_increasing_id())
        .repartition(partitions, key)
        .sortWithinPartitions(key, type, trim(col("account_type")), col("_row").desc())
        .select("token", "account", "account_type");
  }

  /**
   * What a run wrote, with its {@code outcome} column; null when it wrote no row (every row bound:
   * no {@code outcome=} folder). Any other failure to read it is thrown: the counts, and so the
   * exit code, are never guessed.
   */
  static Dataset<Row> readOutcomes(SparkSession spark, String output) {
    org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(output, "outcome=*");
    org.apache.hadoop.fs.FileStatus[] written;
    try {
      written =
          pattern.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(pattern);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (written == null || written.length == 0) {
      return null;
    }
    return csv(spark.read())
        .schema(INPUT.add("detail", DataTypes.StringType).add("outcome", DataTypes.StringType))
        .csv(output);
  }

  /** RFC 4180 for reading and writing: quotes doubled, line breaks in quotes, nothing trimmed. */
  private static <T extends org.apache.spark.sql.DataFrameWriter<?>> T csv(T w) {
    w.option("header", "true")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .option("encoding", "UTF-8");
    return w;
  }

  private static DataFrameReader csv(DataFrameReader r) {
    return r.option("header", "true")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("multiLine", "true")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .option("encoding", "UTF-8");
  }

  /** Any source with the three columns, as strings; other columns (outcome, detail) are ignored. */
  static Dataset<Row> read(SparkSession spark, String format, List<String> inputs) {
    String[] paths = inputs.toArray(new String[0]);
    Dataset<Row> raw =
        format.equals("parquet")
            ? spark.read().parquet(paths)
            : csv(spark.read()).option("enforceSchema", "false").csv(paths);
    List<String> names = Arrays.asList(raw.columns());
    Column[] cols = new Column[3];
    String[] wanted = {"token", "account", "account_type"};
    for (int i = 0; i < 3; i++) {
      String name = wanted[i];
      if (!names.contains(name) && names.contains("\uFEFF" + name)) {
        name = "\uFEFF" + name; // a UTF-8 BOM before the header
      }
      cols[i] =
          (names.contains(name) ? col("`" + name + "`") : lit(null))
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
