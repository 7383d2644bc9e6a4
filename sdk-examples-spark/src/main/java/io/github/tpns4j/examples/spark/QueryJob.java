package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.CollectionAccumulator;

/** What export and reconcile share: the input's keys through {@link PartitionQuery}. */
final class QueryJob {
  private QueryJob() {}

  /** What a query run wrote, by outcome, and the partitions that stopped. */
  static final class Result {
    final Map<String, Long> written;
    final Stops stops;

    Result(Map<String, Long> written, Stops stops) {
      this.written = written;
      this.stops = stops;
    }

    long count(String outcome) {
      return written.getOrDefault(outcome, 0L);
    }
  }

  /**
   * Runs an export or a reconcile's plan over the input's keys and writes the outcomes, the input's
   * rejected rows included; the counts are read back from what was written.
   */
  static Result run(
      SparkSession spark, MigrationSettings base, JobOptions o, PartitionQuery.Kind kind)
      throws IOException {
    Dataset<Row> parsed = InputRows.read(spark, o.format, o.inputs, o.shape());
    Dataset<Row> valid = parsed.where(col("kind").equalTo(InputRows.ROW));
    int partitions = o.partitions(spark);
    MigrationSettings settings =
        new MigrationSettings(
            base.accessId,
            base.secretKey,
            base.baseUrl,
            base.region,
            Operation.OVERWRITE,
            o.perTask(partitions));
    // A type as TPNS sees it: none is 0 ("07" is 7 already: RowRules parsed it).
    Dataset<Row> typed = valid.withColumn("_type", coalesce(col("account_type"), lit(0)));
    Dataset<Row> keys;
    if (kind == PartitionQuery.Kind.EXPORT_TOKENS) {
      keys = valid.select("token").distinct().repartition(partitions);
    } else if (kind == PartitionQuery.Kind.EXPORT_ACCOUNTS) {
      keys =
          typed
              .select(col("account"), col("_type").as("type"))
              .distinct()
              .select(
                  col("account"),
                  col("type"),
                  col("type").cast(DataTypes.StringType).as("raw_type"),
                  lit(null).cast(DataTypes.createArrayType(DataTypes.StringType)).as("tokens"),
                  lit(null).cast(DataTypes.createArrayType(DataTypes.StringType)).as("conflicts"))
              .repartition(partitions, col("account"));
    } else {
      // One row per account and type with every wanted token: an account's diff needs all at
      // once. A token wanted for two accounts of one type cannot be (TPNS keeps one account per
      // type per token; a plan with both would flip it on every run): such rows are marked and
      // their accounts held back (PartitionQuery).
      Dataset<Row> conflicts =
          typed
              .groupBy(col("token").as("_ctoken"), col("_type").as("_ctype"))
              .agg(countDistinct(col("account")).as("_owners"))
              .where(col("_owners").gt(1));
      keys =
          typed
              .join(
                  conflicts,
                  typed
                      .col("token")
                      .equalTo(conflicts.col("_ctoken"))
                      .and(typed.col("_type").equalTo(conflicts.col("_ctype"))),
                  "left")
              .groupBy(col("account"), col("_type").as("type"))
              .agg(
                  first(col("_type").cast(DataTypes.StringType)).as("raw_type"),
                  collect_list(col("token")).as("tokens"),
                  collect_list(when(col("_owners").isNotNull(), col("token"))).as("conflicts"))
              .repartition(partitions, col("account"));
    }
    CollectionAccumulator<String> stops = spark.sparkContext().collectionAccumulator("stops");
    Dataset<Row> outcomes =
        keys.mapPartitions(
            new PartitionQuery(settings, kind, stops), Encoders.row(MigrateMode.OUTCOMES));
    long rejected = InputRows.count(parsed).getOrDefault(InputRows.REJECTED, 0L);
    Outputs.csv(outcomes.write().mode(SaveMode.ErrorIfExists).partitionBy("outcome")).csv(o.output);
    if (rejected > 0) {
      Outputs.writeRejected(parsed, o.output);
    }
    return new Result(Outputs.writtenCounts(spark, o.output, rejected), Stops.of(stops.value()));
  }
}
