package io.github.tpns4j.examples.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --mode reconcile}: reads the bindings the app wants ({@code token, account, account_type})
 * and, for each account they name, writes the plan: {@code to_bind} and {@code to_unbind}, with the
 * reason, {@code unplanned} (accounts TPNS could not be asked about), {@code held_back} (a token
 * wanted for two accounts of one type) and the input's {@code rejected} rows. A dry run: it prints
 * the two migrations that apply the plan ({@code --operation delete-accounts} for the unbinds);
 * {@code --apply} runs them at once. A plan with rejected or held back rows is not applied.
 */
final class ReconcileMode {
  private ReconcileMode() {}

  /** Plans (and with --apply applies) a reconcile; returns the exit code. */
  static int run(SparkSession spark, MigrationSettings settings, JobOptions o, boolean demo)
      throws IOException {
    QueryJob.Result n = QueryJob.run(spark, settings, o, PartitionQuery.Kind.RECONCILE);
    String out = Outputs.absolute(spark, o.output);
    long bind = n.count(PartitionQuery.TO_BIND);
    long unbind = n.count(PartitionQuery.TO_UNBIND);
    long unplanned = n.count(PartitionQuery.UNPLANNED);
    long rejected = n.count(PartitionMigration.REJECTED);
    long heldBack = n.count(PartitionQuery.HELD_BACK);
    System.out.printf(
        Locale.ROOT,
        "Plan: %d bindings to add (%s), %d to remove (outcome=to_unbind); %d wanted rows not"
            + " planned (outcome=unplanned), %d held back (outcome=held_back), %d rejected"
            + " (outcome=rejected)%n",
        bind,
        Outputs.outcome(out, PartitionQuery.TO_BIND),
        unbind,
        unplanned,
        heldBack,
        rejected);
    n.stops.lines().forEach(System.out::println);
    Set<String> taken = new HashSet<>();
    List<String> again = new ArrayList<>(List.of("--mode", "reconcile"));
    if (!demo) {
      again.addAll(List.of("--input", String.join(",", absoluteAll(spark, o.inputs))));
    }
    if (!o.format.equals("csv")) {
      again.addAll(List.of("--format", o.format));
    }
    again.add("--output");
    if (unplanned > 0) {
      System.out.println(unplanned + " wanted rows of accounts TPNS could not be asked about.");
      if (!demo) {
        System.out.println("Plan them with:");
        System.out.println(
            "  "
                + Outputs.command(
                    "--mode",
                    "reconcile",
                    "--input",
                    Outputs.outcome(out, PartitionQuery.UNPLANNED),
                    "--output",
                    Outputs.fresh(spark, o.output, taken)));
      }
    }
    if (rejected + heldBack > 0) {
      System.out.println(
          (rejected > 0
                  ? rejected
                      + " wanted rows are rejected ("
                      + Outputs.outcome(out, PartitionMigration.REJECTED)
                      + ": line, reason, original row)"
                  : "")
              + (rejected > 0 && heldBack > 0 ? " and " : "")
              + (heldBack > 0
                  ? heldBack
                      + " held back ("
                      + Outputs.outcome(out, PartitionQuery.HELD_BACK)
                      + ", detail: why)"
                  : "")
              + ": fix them in your input and plan again. A plan is not applied while rows are"
              + " rejected or held back: without them it could unbind what they meant to keep."
              + (demo ? " (In the demo they are malformed on purpose.)" : ""));
      return 1;
    }
    if (bind + unbind == 0) {
      System.out.println("TPNS is in step with the input for these accounts: nothing to do.");
      return unplanned == 0 ? 0 : 1;
    }
    String bindOutput = Outputs.fresh(spark, o.output.replaceAll("/+$", "") + "-bind", taken);
    String unbindOutput = Outputs.fresh(spark, o.output.replaceAll("/+$", "") + "-unbind", taken);
    String bindInput = Outputs.outcome(out, PartitionQuery.TO_BIND);
    String unbindInput = Outputs.outcome(out, PartitionQuery.TO_UNBIND);
    if (!o.apply) {
      if (demo) {
        System.out.println(
            "(In the demo the plan is against the fake; with your data, run the same with --input"
                + " and your credentials: it prints the commands that apply the plan.)");
        return 1;
      }
      System.out.println("Review the plan, then apply it with:");
      if (bind > 0) {
        System.out.println("  " + Outputs.command("--input", bindInput, "--output", bindOutput));
      }
      if (unbind > 0) {
        System.out.println(
            "  "
                + Outputs.command(
                    "--input",
                    unbindInput,
                    "--output",
                    unbindOutput,
                    "--operation",
                    "delete-accounts"));
      }
      System.out.println("or plan again and apply in one go:");
      List<String> applyAgain = new ArrayList<>(again);
      applyAgain.add(2, "--apply"); // after --mode reconcile
      applyAgain.add(Outputs.fresh(spark, o.output, taken));
      System.out.println("  " + Outputs.command(applyAgain));
      return 1;
    }
    boolean done = true;
    for (boolean binds : new boolean[] {true, false}) {
      if ((binds ? bind : unbind) == 0) {
        continue;
      }
      JobOptions m =
          o.migration(
              binds ? bindInput : unbindInput,
              binds ? bindOutput : unbindOutput,
              binds ? Operation.OVERWRITE : Operation.DELETE_ACCOUNTS);
      System.out.println(binds ? "Applying the binds:" : "Applying the unbinds:");
      Summary s = MigrateMode.migrate(spark, settings, m);
      MigrateMode.report(spark, s, m, demo);
      done &= s.allBound();
    }
    if (!demo) {
      System.out.println(
          "TPNS applies writes asynchronously: a dry run right now may list some of these changes"
              + " again (applying them twice does no harm). Check in a minute with:");
      List<String> check = new ArrayList<>(again);
      check.add(Outputs.fresh(spark, o.output, taken));
      System.out.println("  " + Outputs.command(check));
    }
    return done && unplanned == 0 ? 0 : 1;
  }

  private static List<String> absoluteAll(SparkSession spark, List<String> paths)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      out.add(Outputs.absolute(spark, p));
    }
    return out;
  }
}
