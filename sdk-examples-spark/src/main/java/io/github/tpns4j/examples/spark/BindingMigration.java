package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
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
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
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
 * BindingMigration --mode export --input PATH [--by account|token] [--output DIR] ...
 * BindingMigration --mode reconcile --input PATH [--apply] [--output DIR] ...
 * </pre>
 *
 * <p>{@code --mode export} asks TPNS for the tokens of each account of the input ({@code account,
 * account_type} columns; {@code --by token}: the accounts of each {@code token}) and writes the
 * bindings found ({@code outcome=binding}), the keys with none ({@code no_binding}), and those not
 * answered ({@code unanswered}, to ask again). {@code --mode reconcile} reads the bindings the app
 * wants ({@code token, account, account_type}) and, for each account they name, writes the plan:
 * {@code to_bind} and {@code to_unbind}, with the reason, {@code unplanned} (accounts TPNS could
 * not be asked about) and {@code rejected}. A dry run: it prints the two migrations that apply the
 * plan ({@code --operation delete-accounts} for the unbinds); {@code --apply} runs them at once. A
 * plan with rejected rows is not applied. See {@link PartitionQuery}.
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
  static final String MIGRATE = "migrate";
  static final String EXPORT = "export";
  static final String RECONCILE = "reconcile";
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
    String mode = MIGRATE;
    boolean apply;
    boolean byToken;
    boolean operationGiven;

    static Options parse(String[] args) throws UsageException {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--apply")) {
          o.apply = true;
          continue;
        }
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
          case "--mode":
            o.mode = v.toLowerCase(Locale.ROOT);
            if (!o.mode.equals(MIGRATE) && !o.mode.equals(EXPORT) && !o.mode.equals(RECONCILE)) {
              throw new UsageException("--mode is migrate, export or reconcile, not " + v);
            }
            break;
          case "--by":
            if (!v.equalsIgnoreCase("account") && !v.equalsIgnoreCase("token")) {
              throw new UsageException("--by is account or token, not " + v);
            }
            o.byToken = v.equalsIgnoreCase("token");
            break;
          case "--operation":
            o.operationGiven = true;
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
      if (!o.mode.equals(MIGRATE) && o.operationGiven) {
        throw new UsageException("--operation is for --mode migrate only");
      }
      if (o.apply && !o.mode.equals(RECONCILE)) {
        throw new UsageException("--apply is for --mode reconcile only");
      }
      if (o.byToken && !o.mode.equals(EXPORT)) {
        throw new UsageException("--by is for --mode export only");
      }
      if (!o.mode.equals(MIGRATE) && o.inputs.isEmpty()) {
        throw new UsageException(
            "--mode " + o.mode + " needs --input (the demo is the migration's, without --mode)");
      }
      if (!o.outputGiven && !o.mode.equals(MIGRATE)) {
        o.output = o.mode + "-out";
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
          "usage: BindingMigration [--mode migrate|export|reconcile] [--input PATH[,PATH]]"
              + " [--output DIR] [--format csv|parquet] [--operation overwrite|...] [--by"
              + " account|token] [--apply] [--calls-in-flight N] [--partitions N]");
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
      if (o.mode.equals(EXPORT)) {
        return export(spark, settings, o);
      }
      if (o.mode.equals(RECONCILE)) {
        return reconcile(spark, settings, o);
      }
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
    int partitions = partitions(spark, o);
    int perTask = perTask(o, partitions);
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId, base.secretKey, base.baseUrl, base.region, o.operation, perTask);
    Dataset<Row> ordered = ordered(rows, o.operation, partitions);
    CollectionAccumulator<String> stops = spark.sparkContext().collectionAccumulator("stops");
    Dataset<Row> outcomes =
        ordered.mapPartitions(new PartitionMigration(settings, stops), Encoders.row(OUTCOMES));
    csv(outcomes.write().mode(SaveMode.ErrorIfExists).partitionBy("outcome")).csv(o.output);

    long total = rows.count();
    return new Summary(
        total, writtenCounts(spark, o.output), new ArrayList<>(new LinkedHashSet<>(stops.value())));
  }

  // ---- export and reconcile

  /** Exports the input's keys' bindings; returns the exit code. */
  private static int export(SparkSession spark, MigrationSettings settings, Options o)
      throws IOException {
    Map<String, Long> n =
        query(
            spark,
            settings,
            o,
            o.byToken ? PartitionQuery.Kind.EXPORT_TOKENS : PartitionQuery.Kind.EXPORT_ACCOUNTS);
    String out = absolute(o.output);
    System.out.printf(
        Locale.ROOT,
        "Export: %d bindings (%s/outcome=binding), %d %s with none (outcome=no_binding), %d not"
            + " answered (outcome=unanswered), %d rejected (outcome=rejected)%n",
        count(n, PartitionQuery.BINDING),
        out,
        count(n, PartitionQuery.NO_BINDING),
        o.byToken ? "tokens" : "accounts",
        count(n, PartitionQuery.UNANSWERED),
        count(n, PartitionMigration.REJECTED));
    if (count(n, PartitionQuery.UNANSWERED) > 0) {
      System.out.println("Ask for those not answered again with:");
      System.out.println(
          "  "
              + command(
                  "--mode export"
                      + (o.byToken ? " --by token" : "")
                      + " --input "
                      + out
                      + "/outcome="
                      + PartitionQuery.UNANSWERED
                      + " --output "
                      + fresh(spark, o.output, new java.util.HashSet<>())));
    }
    return count(n, PartitionQuery.UNANSWERED) + count(n, PartitionMigration.REJECTED) == 0 ? 0 : 1;
  }

  /** Plans (and with --apply applies) a reconcile; returns the exit code. */
  private static int reconcile(SparkSession spark, MigrationSettings settings, Options o)
      throws IOException {
    Map<String, Long> n = query(spark, settings, o, PartitionQuery.Kind.RECONCILE);
    String out = absolute(o.output);
    long bind = count(n, PartitionQuery.TO_BIND);
    long unbind = count(n, PartitionQuery.TO_UNBIND);
    long unplanned = count(n, PartitionQuery.UNPLANNED);
    long rejected = count(n, PartitionMigration.REJECTED);
    System.out.printf(
        Locale.ROOT,
        "Plan: %d bindings to add (%s/outcome=to_bind), %d to remove (outcome=to_unbind); %d"
            + " wanted rows not planned (outcome=unplanned), %d rejected (outcome=rejected)%n",
        bind,
        out,
        unbind,
        unplanned,
        rejected);
    java.util.Set<String> taken = new java.util.HashSet<>();
    String inputs = String.join(",", absoluteAll(o.inputs));
    String format = o.format.equals("csv") ? "" : " --format " + o.format;
    if (unplanned > 0) {
      System.out.println(
          unplanned + " wanted rows of accounts TPNS could not be asked about; plan them with:");
      System.out.println(
          "  "
              + command(
                  "--mode reconcile --input "
                      + out
                      + "/outcome="
                      + PartitionQuery.UNPLANNED
                      + " --output "
                      + fresh(spark, o.output, taken)));
    }
    if (rejected > 0) {
      System.out.println(
          rejected
              + " wanted rows are rejected ("
              + out
              + "/outcome=rejected, detail: why): fix them in your input and plan again. A plan"
              + " is not applied while rows are rejected: without them it could unbind what they"
              + " meant to keep.");
      return 1;
    }
    if (bind + unbind == 0) {
      System.out.println("TPNS is in step with the input for these accounts: nothing to do.");
      return unplanned == 0 ? 0 : 1;
    }
    String bindOutput = fresh(spark, o.output.replaceAll("/+$", "") + "-bind", taken);
    String unbindOutput = fresh(spark, o.output.replaceAll("/+$", "") + "-unbind", taken);
    String bindArgs =
        "--input " + out + "/outcome=" + PartitionQuery.TO_BIND + " --output " + bindOutput;
    String unbindArgs =
        "--input "
            + out
            + "/outcome="
            + PartitionQuery.TO_UNBIND
            + " --output "
            + unbindOutput
            + " --operation delete-accounts";
    String check = "--mode reconcile --input " + inputs + format + " --output ";
    if (!o.apply) {
      System.out.println("Review the plan, then apply it with:");
      if (bind > 0) {
        System.out.println("  " + command(bindArgs));
      }
      if (unbind > 0) {
        System.out.println("  " + command(unbindArgs));
      }
      System.out.println("or plan again and apply in one go:");
      System.out.println(
          "  "
              + command(
                  "--mode reconcile --apply --input "
                      + inputs
                      + format
                      + " --output "
                      + fresh(spark, o.output, taken)));
      return 1;
    }
    boolean done = true;
    for (boolean binds : new boolean[] {true, false}) {
      if ((binds ? bind : unbind) == 0) {
        continue;
      }
      Options m = new Options();
      m.inputs.add(out + "/outcome=" + (binds ? PartitionQuery.TO_BIND : PartitionQuery.TO_UNBIND));
      m.output = binds ? bindOutput : unbindOutput;
      m.outputGiven = true;
      m.operation = binds ? Operation.OVERWRITE : Operation.DELETE_ACCOUNTS;
      m.callsInFlight = o.callsInFlight;
      m.partitions = o.partitions;
      System.out.println(binds ? "Applying the binds:" : "Applying the unbinds:");
      Summary s = run(spark, settings, m);
      report(spark, s, m, false);
      done &= s.allBound();
    }
    System.out.println(
        "TPNS applies writes asynchronously: a dry run right now may list some of these changes"
            + " again (applying them twice does no harm). Check in a minute with:");
    System.out.println("  " + command(check + fresh(spark, o.output, taken)));
    return done && unplanned == 0 ? 0 : 1;
  }

  private static long count(Map<String, Long> n, String outcome) {
    return n.getOrDefault(outcome, 0L);
  }

  private static List<String> absoluteAll(List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      out.add(absolute(p));
    }
    return out;
  }

  private static String command(String args) {
    return COMMAND + " -Dmigration.args=\"" + args + "\"";
  }

  /**
   * Runs an export or a reconcile's plan over the input's keys and writes the outcomes; returns how
   * many rows of each outcome were written, read back from what was written.
   */
  static Map<String, Long> query(
      SparkSession spark, MigrationSettings base, Options o, PartitionQuery.Kind kind) {
    Dataset<Row> rows = read(spark, o.format, o.inputs);
    int partitions = partitions(spark, o);
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId,
            base.secretKey,
            base.baseUrl,
            base.region,
            Operation.OVERWRITE,
            perTask(o, partitions));
    Dataset<Row> keys;
    if (kind == PartitionQuery.Kind.EXPORT_TOKENS) {
      keys = rows.select(trim(col("token")).as("token")).distinct().repartition(partitions);
    } else {
      // One row per account and type (a type as TPNS sees it: none is 0, "07" is 7), with every
      // wanted token: an account's diff needs all of them at once.
      Column type =
          coalesce(
              expr("try_cast(trim(account_type) AS INT)"),
              when(trim(col("account_type")).equalTo("").or(col("account_type").isNull()), lit(0)));
      // A token wanted for two accounts of one type cannot be (TPNS keeps one account per type
      // per token; a plan with both would flip it on every run): such rows are marked, rejected
      // and their accounts held back (PartitionQuery).
      Dataset<Row> typed =
          rows.withColumn("_token", trim(col("token")))
              .withColumn("_account", trim(col("account")))
              .withColumn("_type", type);
      Dataset<Row> conflicts =
          typed
              .where(col("_token").isNotNull().and(col("_type").isNotNull()))
              .groupBy(col("_token").as("_ctoken"), col("_type").as("_ctype"))
              .agg(countDistinct(col("_account")).as("_owners"))
              .where(col("_owners").gt(1));
      keys =
          typed
              .join(
                  conflicts,
                  typed
                      .col("_token")
                      .equalTo(conflicts.col("_ctoken"))
                      .and(typed.col("_type").equalTo(conflicts.col("_ctype"))),
                  "left")
              .groupBy(col("_account").as("account"), col("_type").as("type"))
              .agg(
                  first(col("account_type"), true).as("raw_type"),
                  collect_list(col("token")).as("tokens"),
                  collect_list(when(col("_owners").isNotNull(), col("token"))).as("conflicts"))
              .repartition(partitions, col("account"));
    }
    CollectionAccumulator<String> stops = spark.sparkContext().collectionAccumulator("stops");
    Dataset<Row> outcomes =
        keys.mapPartitions(new PartitionQuery(settings, kind, stops), Encoders.row(OUTCOMES));
    csv(outcomes.write().mode(SaveMode.ErrorIfExists).partitionBy("outcome")).csv(o.output);
    new LinkedHashSet<>(stops.value())
        .forEach(c -> System.out.println("  a partition stopped: " + c));
    return writtenCounts(spark, o.output);
  }

  private static Map<String, Long> writtenCounts(SparkSession spark, String output) {
    Map<String, Long> written = new LinkedHashMap<>();
    Dataset<Row> back = readOutcomes(spark, output);
    if (back != null) {
      for (Row r : back.groupBy("outcome").count().collectAsList()) {
        written.put(r.getString(0), r.getLong(1));
      }
    }
    return written;
  }

  /** At most --calls-in-flight partitions, so that all at once they stay within the budget. */
  private static int partitions(SparkSession spark, Options o) {
    return Math.max(
        1,
        Math.min(
            o.callsInFlight,
            o.partitions > 0 ? o.partitions : spark.sparkContext().defaultParallelism()));
  }

  private static int perTask(Options o, int partitions) {
    return Math.max(1, Math.min(64, o.callsInFlight / partitions));
  }

  /**
   * Rows of one key (token; account for {@code delete-all-for-accounts}) in one partition, grouped,
   * the latest input row first. Input order is the order of rows in a file; across files, the order
   * Spark reads them in. Within a key, rows are grouped by account type as TPNS sees it (empty is
   * 0, {@code "07"} is 7), the latest first, so that the last row of a token and type is the one
   * sent. Key and type are computed by the very functions {@link PartitionMigration} groups rows
   * with (Java's {@code trim} and {@link PartitionMigration#typeKey}), not by Spark's {@code trim}
   * and cast, which differ from them (a tab, a non-ASCII digit).
   */
  static Dataset<Row> ordered(Dataset<Row> rows, Operation operation, int partitions) {
    UserDefinedFunction javaTrim =
        udf((UDF1<String, String>) s -> s == null ? null : s.trim(), DataTypes.StringType);
    UserDefinedFunction typeKey =
        udf((UDF1<String, String>) PartitionMigration::typeKey, DataTypes.StringType);
    Column key =
        javaTrim.apply(col(operation == Operation.DELETE_ALL_FOR_ACCOUNTS ? "account" : "token"));
    return rows.withColumn("_row", monotonically_increasing_id())
        .repartition(partitions, key)
        .sortWithinPartitions(key, typeKey.apply(col("account_type")), col("_row").desc())
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
