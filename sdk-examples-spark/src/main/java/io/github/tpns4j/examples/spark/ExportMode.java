package io.github.tpns4j.examples.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --mode export}: asks TPNS for the tokens of each account of the input ({@code account,
 * account_type}; {@code --by token}: the accounts of each {@code token}) and writes the bindings
 * found ({@code outcome=binding}), the keys with none ({@code no_binding}), those not answered
 * ({@code unanswered}, to ask again) and the input's rejected rows ({@code rejected}).
 */
final class ExportMode {
  private ExportMode() {}

  /** Exports the input's keys' bindings; returns the exit code. */
  static int run(SparkSession spark, MigrationSettings settings, JobOptions o, boolean demo)
      throws IOException {
    QueryJob.Result n =
        QueryJob.run(
            spark,
            settings,
            o,
            o.byToken ? PartitionQuery.Kind.EXPORT_TOKENS : PartitionQuery.Kind.EXPORT_ACCOUNTS);
    String out = Outputs.absolute(spark, o.output);
    System.out.printf(
        Locale.ROOT,
        "Export: %d bindings (%s), %d %s with none (outcome=no_binding), %d not"
            + " answered (outcome=unanswered), %d rejected (outcome=rejected)%n",
        n.count(PartitionQuery.BINDING),
        Outputs.outcome(out, PartitionQuery.BINDING),
        n.count(PartitionQuery.NO_BINDING),
        o.byToken ? "tokens" : "accounts",
        n.count(PartitionQuery.UNANSWERED),
        n.count(PartitionMigration.REJECTED));
    n.stops.lines().forEach(System.out::println);
    if (n.count(PartitionMigration.REJECTED) > 0) {
      System.out.println(
          "Rejected rows (line, reason, original row) are in "
              + Outputs.outcome(out, PartitionMigration.REJECTED)
              + (demo ? ": in the demo they are malformed on purpose." : ": fix them there."));
    }
    if (n.count(PartitionQuery.UNANSWERED) > 0) {
      if (demo) {
        System.out.println(
            "(In the demo the fake left them unanswered; with your data, run the same with --input"
                + " and your credentials.)");
      } else {
        System.out.println("Ask for those not answered again with:");
        List<String> args = new ArrayList<>(List.of("--mode", "export"));
        if (o.byToken) {
          args.addAll(List.of("--by", "token"));
        }
        args.addAll(
            List.of(
                "--input",
                Outputs.outcome(out, PartitionQuery.UNANSWERED),
                "--output",
                Outputs.fresh(spark, o.output, new HashSet<>())));
        System.out.println("  " + Outputs.command(args));
      }
    }
    return n.count(PartitionQuery.UNANSWERED) + n.count(PartitionMigration.REJECTED) == 0 ? 0 : 1;
  }
}
