package io.github.tpns4j.examples.spark;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.util.HashSet;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * A binding migration as a Spark job: rows {@code token, account, account_type} from CSV or Parquet
 * through {@code bulkOperate}, on a {@code TpnsClient} shared by the tasks of each executor JVM.
 * Rows are read with the row rules of {@code tpns4j import} ({@link InputRows}), so that a row has
 * the same fate in both. Rows of one token (one account, for {@code delete-all-for-accounts}) go to
 * one partition; a run writes, partitioned by {@code outcome}, every row that was not done: {@code
 * rejected} (line, reason, original row), {@code superseded}, {@code refused}, {@code failed} and
 * {@code never_sent} (see {@link PartitionMigration}). Counts come from what was written, so a task
 * Spark runs twice is counted once.
 *
 * <pre>
 * BindingMigration [--input PATH[,PATH...]] [--output DIR] [--format csv|parquet]
 *     [--operation overwrite|delete-accounts|delete-all-for-tokens|delete-all-for-accounts]
 *     [--calls-in-flight N] [--partitions N]
 * BindingMigration --mode export [--input PATH] [--by account|token] [--output DIR] ...
 * BindingMigration --mode reconcile [--input PATH] [--apply] [--output DIR] ...
 * </pre>
 *
 * <p>The modes: {@link MigrateMode}, {@link ExportMode}, {@link ReconcileMode}. Credentials from
 * the environment: {@code TPNS_ACCESS_ID}, {@code TPNS_SECRET_KEY}, and {@code TPNS_REGION} or
 * {@code TPNS_BASE_URL}. With {@code --input} they are required: the job exits 2 before Spark
 * starts without them. Without {@code --input} each mode runs its demo ({@link Demo}): bundled
 * sample data against an in-process fake server, which it says on its first line. No run deletes or
 * overwrites what it reads, nor an earlier run's output. Exit code 0 when every row was done, 1
 * when rows are left (in the outputs), 2 when the job could not run.
 */
public final class BindingMigration {
  private BindingMigration() {}

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
  static int run(String[] args, UnaryOperator<String> env) throws IOException {
    return run(args, env, null);
  }

  /**
   * @param session the Spark session to run in (tests); null to start one and stop it at the end
   */
  static int run(String[] args, UnaryOperator<String> env, SparkSession session)
      throws IOException {
    JobOptions o;
    String accessId = env.apply("TPNS_ACCESS_ID");
    String secretKey = env.apply("TPNS_SECRET_KEY");
    boolean demo;
    try {
      o = JobOptions.parse(args);
      Outputs.budget = o.budgetArgs();
      demo = o.inputs.isEmpty();
      if (!demo && (isBlank(accessId) || isBlank(secretKey))) {
        throw new JobOptions.UsageException(
            (isBlank(accessId) && isBlank(secretKey)
                    ? "TPNS_ACCESS_ID and TPNS_SECRET_KEY are"
                    : isBlank(accessId) ? "TPNS_ACCESS_ID is" : "TPNS_SECRET_KEY is")
                + " not set: --input is your data, so the job needs real TPNS (set them, and"
                + " TPNS_REGION or TPNS_BASE_URL, in the environment of the driver). Without"
                + " --input it runs the demo against the built-in fake. Nothing was started");
      }
    } catch (JobOptions.UsageException e) {
      return usage(e);
    }
    FakeTpnsServer fake = null;
    if (demo) {
      fake = FakeTpnsServer.start();
      accessId = fake.accessId();
      secretKey = fake.secretKey();
      System.out.println(
          "DEMO: --mode "
              + o.mode
              + " on bundled sample data against an in-process fake TPNS server (no --input"
              + " given)");
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
      try {
        // As the cluster resolves them: a path without a scheme is on its default file system.
        Outputs.checkPaths(spark.sparkContext().hadoopConfiguration(), o);
      } catch (JobOptions.UsageException e) {
        return usage(e);
      }
      if (demo) {
        o.inputs.add(Demo.prepare(o, fake).toString());
        o.format = "csv";
      }
      if (Outputs.exists(spark, o.output)) {
        String fresh = Outputs.fresh(spark, o.output, new HashSet<>());
        if (!o.outputGiven) {
          // The default output holds an earlier run's outcomes: keep them, write beside them.
          System.out.println(o.output + " holds an earlier run's outcomes: writing to " + fresh);
          o.output = fresh;
        } else {
          System.out.println(
              "BindingMigration: --output "
                  + o.output
                  + " exists, with an earlier run's outcomes; nothing is overwritten. Give a new"
                  + " --output, e.g. --output "
                  + io.github.tpns4j.cli.NextStep.quote(fresh));
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
      switch (o.mode) {
        case JobOptions.EXPORT:
          return ExportMode.run(spark, settings, o, demo);
        case JobOptions.RECONCILE:
          return ReconcileMode.run(spark, settings, o, demo);
        default:
          return MigrateMode.run(spark, settings, o, demo);
      }
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

  private static int usage(JobOptions.UsageException e) {
    System.out.println("BindingMigration: " + e.getMessage());
    System.out.println(JobOptions.USAGE);
    return 2;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static String emptyToNull(String s) {
    return isBlank(s) ? null : s;
  }
}
