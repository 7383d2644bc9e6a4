package io.github.tpns4j.examples.spark;

import io.github.tpns4j.cli.csv.RowRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
  boolean callsInFlightGiven;

  /**
   * The command line as picocli reads it, the options layer of {@code tpns4j} (its errors: an
   * unknown option, a missing value, a value of the wrong type, each in one line). The values are
   * checked below, with messages that name what is allowed.
   */
  @Command(name = "BindingMigration")
  static final class Args {
    @Option(names = "--mode")
    String mode;

    @Option(names = "--input", split = ",")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format")
    String format;

    @Option(names = "--output")
    String output;

    @Option(names = "--operation")
    String operation;

    @Option(names = "--by")
    String by;

    @Option(names = "--apply")
    boolean apply;

    @Option(names = "--calls-in-flight")
    String callsInFlight;

    @Option(names = "--partitions")
    String partitions;
  }

  static JobOptions parse(String[] args) throws UsageException {
    Args a = new Args();
    try {
      new CommandLine(a).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    JobOptions o = new JobOptions();
    for (String p : a.inputs) {
      if (!p.isBlank()) {
        o.inputs.add(p.trim());
      }
    }
    if (a.format != null) {
      o.format = a.format.toLowerCase(Locale.ROOT);
      if (!o.format.equals("csv") && !o.format.equals("parquet")) {
        throw new UsageException("--format is csv or parquet, not " + a.format);
      }
    }
    if (a.output != null) {
      o.output = a.output;
      o.outputGiven = true;
    }
    if (a.mode != null) {
      o.mode = a.mode.toLowerCase(Locale.ROOT);
      if (!o.mode.equals(MIGRATE) && !o.mode.equals(EXPORT) && !o.mode.equals(RECONCILE)) {
        throw new UsageException("--mode is migrate, export or reconcile, not " + a.mode);
      }
    }
    if (a.by != null) {
      if (!a.by.equalsIgnoreCase("account") && !a.by.equalsIgnoreCase("token")) {
        throw new UsageException("--by is account or token, not " + a.by);
      }
      o.byToken = a.by.equalsIgnoreCase("token");
    }
    if (a.operation != null) {
      o.operationGiven = true;
      try {
        o.operation = Operation.parse(a.operation);
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "--operation is overwrite, delete-accounts, delete-all-for-tokens or"
                + " delete-all-for-accounts, not "
                + a.operation);
      }
    }
    if (a.callsInFlight != null) {
      o.callsInFlight = number("--calls-in-flight", a.callsInFlight, 1, 100_000);
      o.callsInFlightGiven = true;
    }
    if (a.partitions != null) {
      o.partitions = number("--partitions", a.partitions, 1, 1_000_000);
    }
    o.apply = a.apply;
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

  /** The budget options the user gave, to carry into printed commands. */
  List<String> budgetArgs() {
    List<String> b = new ArrayList<>();
    if (callsInFlightGiven) {
      b.add("--calls-in-flight");
      b.add(Integer.toString(callsInFlight));
    }
    if (partitions > 0) {
      b.add("--partitions");
      b.add(Integer.toString(partitions));
    }
    return b;
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
