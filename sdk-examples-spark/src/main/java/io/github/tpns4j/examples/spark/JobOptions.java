package io.github.tpns4j.examples.spark;

import io.github.tpns4j.cli.csv.RowRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** The job's command line, one options layer for its three modes. Not thread-safe. */
final class JobOptions {
  static final String MIGRATE = "migrate";
  static final String EXPORT = "export";
  static final String RECONCILE = "reconcile";
  static final String DEFAULT_OUTPUT = "migration-out";
  static final String USAGE =
      "usage: BindingMigration [--mode migrate|export|reconcile] [--input PATH[,PATH]]"
          + " [--output DIR] [--format csv|parquet] [--operation overwrite|...] [--by"
          + " account|token] [--apply] [--calls-in-flight N] [--partitions N]";

  /** The job cannot run as asked: one line, exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

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

  static JobOptions parse(String[] args) throws UsageException {
    JobOptions o = new JobOptions();
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
    throw new UsageException(option + " takes a number from " + min + " to " + max + ", not " + v);
  }

  /**
   * The columns this run reads, as {@code tpns4j} reads them: bindings, except for the operations
   * and the export that need only tokens or only accounts.
   */
  RowRules.Shape shape() {
    if (mode.equals(EXPORT)) {
      return byToken ? RowRules.Shape.TOKENS : RowRules.Shape.ACCOUNTS;
    }
    if (mode.equals(MIGRATE) && operation == Operation.DELETE_ALL_FOR_TOKENS) {
      return RowRules.Shape.TOKENS;
    }
    if (mode.equals(MIGRATE) && operation == Operation.DELETE_ALL_FOR_ACCOUNTS) {
      return RowRules.Shape.ACCOUNTS;
    }
    return RowRules.Shape.BINDINGS;
  }

  /** At most --calls-in-flight partitions, so that all at once they stay within the budget. */
  int partitions(SparkSession spark) {
    return Math.max(
        1,
        Math.min(
            callsInFlight,
            partitions > 0 ? partitions : spark.sparkContext().defaultParallelism()));
  }

  /** Each partition's share of the calls in flight. */
  int perTask(int partitions) {
    return Math.max(1, Math.min(64, callsInFlight / partitions));
  }

  /** These options for a migration of {@code input} into {@code output} (an applied plan). */
  JobOptions migration(String input, String output, Operation operation) {
    JobOptions m = new JobOptions();
    m.inputs.add(input);
    m.output = output;
    m.outputGiven = true;
    m.operation = operation;
    m.callsInFlight = callsInFlight;
    m.partitions = partitions;
    return m;
  }
}
