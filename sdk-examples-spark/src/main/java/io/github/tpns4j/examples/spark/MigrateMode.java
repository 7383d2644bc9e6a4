package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * {@code --mode migrate} (the default): every row through {@code bulkOperate}, then what was not
 * done written by outcome, and each next step printed as a whole command.
 */
final class MigrateMode {
  /** What {@link PartitionMigration} reads: the row's values, its type null when it gives none. */
  static final StructType ITEMS =
      new StructType()
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.IntegerType);

  /** What the migration and the queries write: the row, its outcome and why. */
  static final StructType OUTCOMES =
      new StructType()
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.StringType)
          .add("outcome", DataTypes.StringType)
          .add("detail", DataTypes.StringType);

  /** The outcome folders as written: the outcome is the folder's name. */
  static final StructType WRITTEN =
      new StructType()
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.StringType)
          .add("detail", DataTypes.StringType)
          .add("outcome", DataTypes.StringType);

  private MigrateMode() {}

  /** Runs the migration and reports it; returns the exit code. */
  static int run(SparkSession spark, MigrationSettings settings, JobOptions o, boolean demo)
      throws IOException {
    Summary s = migrate(spark, settings, o);
    report(spark, s, o, demo);
    return s.allBound() ? 0 : 1;
  }

  /**
   * Runs the migration and writes its outcomes; returns the counts, read back from what was written
   * (exact when Spark runs a task twice).
   */
  static Summary migrate(SparkSession spark, MigrationSettings base, JobOptions o)
      throws IOException {
    Dataset<Row> parsed = InputRows.read(spark, o.format, o.inputs, o.shape());
    // The job's budget of calls in flight holds whatever the cluster's size: at most that many
    // partitions, each with its share of the budget, so even if all run at once they stay within.
    int partitions = o.partitions(spark);
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId,
            base.secretKey,
            base.baseUrl,
            base.region,
            o.operation,
            o.perTask(partitions));
    Dataset<Row> valid = parsed.where(col("kind").equalTo(InputRows.ROW));
    CollectionAccumulator<String> stops = spark.sparkContext().collectionAccumulator("stops");
    Dataset<Row> outcomes =
        ordered(valid, o.operation, partitions)
            .mapPartitions(new PartitionMigration(settings, stops), Encoders.row(OUTCOMES));
    java.util.Map<String, Long> kinds = InputRows.count(parsed);
    Outputs.csv(outcomes.write().mode(SaveMode.ErrorIfExists).partitionBy("outcome")).csv(o.output);
    long rejected = kinds.getOrDefault(InputRows.REJECTED, 0L);
    if (rejected > 0) {
      Outputs.writeRejected(parsed, o.output);
    }
    long total = kinds.getOrDefault(InputRows.ROW, 0L) + rejected;
    return new Summary(
        total,
        Outputs.writtenCounts(spark, o.output, rejected),
        Stops.of(stops.value()),
        o.operation);
  }

  /**
   * Rows of one key (token; account for {@code delete-all-for-accounts}) in one partition, grouped
   * by the account type as TPNS sees it (none is 0, {@code "07"} is 7: the type {@link
   * io.github.tpns4j.cli.csv.RowRules} parsed), the latest row first, so that the last row of a
   * token and type is the one sent. Input order is {@code --input} order, then the file's path,
   * then the line.
   */
  static Dataset<Row> ordered(Dataset<Row> valid, Operation operation, int partitions) {
    Column key = col(operation == Operation.DELETE_ALL_FOR_ACCOUNTS ? "account" : "token");
    return valid
        .repartition(partitions, key)
        .sortWithinPartitions(
            key,
            coalesce(col("account_type"), lit(0)),
            col("input").desc(),
            col("file").desc(),
            col("line").desc())
        .select("token", "account", "account_type");
  }

  /** What the run did, and each next step as a whole command. */
  static void report(SparkSession spark, Summary s, JobOptions o, boolean demo) throws IOException {
    System.out.println(s);
    s.stops.lines().forEach(System.out::println);
    String out = Outputs.absolute(spark, o.output);
    System.out.println("outcomes written under " + out);
    List<String> retry =
        Outputs.folders(out, s.written, PartitionMigration.FAILED, PartitionMigration.NEVER_SENT);
    Set<String> taken = new HashSet<>();
    String next = Outputs.fresh(spark, o.output, taken);
    if (s.count(PartitionMigration.REFUSED) > 0) {
      System.out.println(
          s.count(PartitionMigration.REFUSED)
              + " rows TPNS refused are in "
              + Outputs.outcome(out, PartitionMigration.REFUSED)
              + " (detail: the code); sent unchanged they fail again."
              + (demo
                  ? " (In the demo the fake refused them: there is nothing to fix.)"
                  : " Fix what the code says (1008006: the token is not registered), then run:"));
      if (!demo) {
        System.out.println(
            "  " + command(o, Outputs.outcome(out, PartitionMigration.REFUSED), next));
        next = Outputs.fresh(spark, o.output, taken);
      }
    }
    if (s.count(PartitionMigration.REJECTED) > 0) {
      String rejected = Outputs.outcome(out, PartitionMigration.REJECTED);
      System.out.println(
          s.count(PartitionMigration.REJECTED)
              + " rows are rejected, never sent: "
              + rejected
              + " (line, reason, original row). "
              + (demo
                  ? "In the demo they are malformed on purpose."
                  : "Fix the original rows there (or in your input), then run them:"));
      if (!demo) {
        System.out.println("  " + command(o, rejected, next));
        next = Outputs.fresh(spark, o.output, taken);
      }
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

  /** The README's way to run the job, with these inputs and output, and this run's operation. */
  private static String command(JobOptions o, String inputs, String output) {
    List<String> args = new ArrayList<>(List.of("--input", inputs, "--output", output));
    if (o.operation != Operation.OVERWRITE) {
      args.add("--operation");
      args.add(o.operation.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return Outputs.command(args);
  }
}
