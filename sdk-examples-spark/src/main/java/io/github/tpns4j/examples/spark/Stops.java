package io.github.tpns4j.examples.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;

/**
 * The partitions of a run that stopped, and why. A task adds {@link #entry} to the run's
 * accumulator; a partition whose task Spark ran twice is counted once.
 */
final class Stops {
  private final Map<Integer, String> byPartition;

  private Stops(Map<Integer, String> byPartition) {
    this.byPartition = byPartition;
  }

  /** What a stopped task adds: its partition and the cause. */
  static String entry(String cause) {
    TaskContext task = TaskContext.get();
    return (task == null ? -1 : task.partitionId()) + "\t" + cause;
  }

  static Stops of(List<String> entries) {
    Map<Integer, String> byPartition = new TreeMap<>();
    for (String e : entries) {
      int tab = e.indexOf('\t');
      byPartition.putIfAbsent(Integer.parseInt(e.substring(0, tab)), e.substring(tab + 1));
    }
    return new Stops(byPartition);
  }

  /** How many partitions stopped. */
  int partitions() {
    return byPartition.size();
  }

  /** One line per distinct cause, with how many partitions it stopped. */
  List<String> lines() {
    Map<String, Integer> causes = new LinkedHashMap<>();
    byPartition.values().forEach(c -> causes.merge(c, 1, Integer::sum));
    List<String> lines = new ArrayList<>();
    causes.forEach(
        (cause, n) ->
            lines.add("  " + (n == 1 ? "a partition" : n + " partitions") + " stopped: " + cause));
    return lines;
  }

  /** The distinct causes. */
  List<String> causes() {
    return new ArrayList<>(new java.util.LinkedHashSet<>(byPartition.values()));
  }
}
