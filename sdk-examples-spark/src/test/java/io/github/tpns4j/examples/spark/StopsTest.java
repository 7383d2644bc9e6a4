package io.github.tpns4j.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StopsTest {
  @Test
  void sixPartitionsStoppedByOneCauseCountAsSix() {
    List<String> entries = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      entries.add(p + "\tjava.io.IOException: 503 down");
    }
    entries.add("5\tjava.io.IOException: 503 down"); // partition 5's task, run again by Spark
    Stops stops = Stops.of(entries);
    assertThat(stops.partitions()).isEqualTo(6);
    assertThat(stops.lines())
        .containsExactly("  6 partitions stopped: java.io.IOException: 503 down");
    Summary s = new Summary(100, Map.of(), stops, Operation.OVERWRITE);
    assertThat(s.toString()).endsWith("(6 partitions stopped)");
  }
}
