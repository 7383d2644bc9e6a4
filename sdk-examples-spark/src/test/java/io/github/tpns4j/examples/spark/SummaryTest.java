package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void deleteOperationsReportUnboundRows() {
    Stops none = Stops.of(List.of());
    assertThat(new Summary(1, Map.of(), none, Operation.DELETE_ACCOUNTS).toString())
        .startsWith("1 rows: 1 unbound,");
    assertThat(new Summary(1, Map.of(), none, Operation.OVERWRITE).toString())
        .startsWith("1 rows: 1 bound,");
  }

  @Test
  void supersededRowsCountAsDone() {
    Summary s =
        new Summary(
            3, Map.of(PartitionMigration.SUPERSEDED, 1L), Stops.of(List.of()), Operation.OVERWRITE);
    assertThat(s.bound).isEqualTo(2);
    assertThat(s.allBound()).isTrue();
  }
}
