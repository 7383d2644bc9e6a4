package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The job's command line, read by picocli as tpns4j's is; checked before Spark starts. */
class JobOptionsTest {
  @Test
  void readsEveryOptionAndTheDefaultsOfEachMode() throws Exception {
    JobOptions o =
        JobOptions.parse(
            new String[] {
              "--mode",
              "RECONCILE",
              "--input",
              "a.csv,,b.csv",
              "--apply",
              "--calls-in-flight",
              "8",
              "--partitions",
              "2",
              "--format",
              "Parquet"
            });
    assertThat(o.mode).isEqualTo(JobOptions.RECONCILE);
    assertThat(o.inputs).containsExactly("a.csv", "b.csv");
    assertThat(o.apply).isTrue();
    assertThat(o.callsInFlight).isEqualTo(8);
    assertThat(o.partitions).isEqualTo(2);
    assertThat(o.format).isEqualTo("parquet");
    assertThat(o.output).isEqualTo("reconcile-out");
    JobOptions d = JobOptions.parse(new String[0]);
    assertThat(d.mode).isEqualTo(JobOptions.MIGRATE);
    assertThat(d.output).isEqualTo(JobOptions.DEFAULT_OUTPUT);
    assertThat(d.operation).isEqualTo(Operation.OVERWRITE);
  }

  @Test
  void aWrongCommandLineIsOneLineThatNamesTheProblem() {
    String[][] wrong = {
      {"--bogus"},
      {"stray"},
      {"--output"},
      {"--calls-in-flight", "0"},
      {"--partitions", "x"},
      {"--format", "json"},
      {"--mode", "delete"},
      {"--by", "email"},
      {"--operation", "append"},
      {"--mode", "export", "--operation", "overwrite"},
      {"--apply"},
      {"--by", "token"}
    };
    for (String[] args : wrong) {
      assertThatThrownBy(() -> JobOptions.parse(args))
          .as(String.join(" ", args))
          .isInstanceOf(JobOptions.UsageException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").isNotBlank());
    }
  }

  @Test
  void aUsageErrorExitsTwoBeforeSparkStarts() throws Exception {
    assertThat(BindingMigration.run(new String[] {"--bogus"}, name -> null)).isEqualTo(2);
  }

  @Test
  void theBudgetGivenIsCarriedIntoEveryPrintedCommand() throws Exception {
    JobOptions o = JobOptions.parse(new String[] {"--calls-in-flight", "8", "--partitions", "2"});
    assertThat(o.budgetArgs()).containsExactly("--calls-in-flight", "8", "--partitions", "2");
    assertThat(JobOptions.parse(new String[0]).budgetArgs()).isEmpty();
    Outputs.budget = o.budgetArgs();
    try {
      assertThat(Outputs.command("--input", "a.csv"))
          .contains("--input a.csv --calls-in-flight 8 --partitions 2");
      assertThat(Outputs.command("--input", "a.csv", "--partitions", "4"))
          .contains("--partitions 4")
          .doesNotContain("--partitions 2");
    } finally {
      Outputs.budget = java.util.List.of();
    }
  }
}
