package io.github.tpns4j.examples.spark;

import java.util.Locale;
import java.util.Map;

/** What a migration did, counted from its outputs. The counts add up to {@code rows}. */
final class Summary {
  final long rows;
  final long bound; // bound, or unbound for the delete operations: done as asked
  final Map<String, Long> written; // outcome -> rows
  final Stops stops;
  final Operation operation;

  Summary(long rows, Map<String, Long> written, Stops stops, Operation operation) {
    this.rows = rows;
    this.written = written;
    this.stops = stops;
    this.operation = operation;
    long notDone = 0;
    for (long n : written.values()) {
      notDone += n;
    }
    this.bound = rows - notDone;
  }

  long count(String outcome) {
    return written.getOrDefault(outcome, 0L);
  }

  /** Every row done; a superseded row counts as done (the later row of its key was bound). */
  boolean allBound() {
    return bound + count(PartitionMigration.SUPERSEDED) == rows;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d rows: %d %s, %d superseded, %d refused, %d to retry, %d rejected, %d never sent"
            + " (%d partitions stopped)",
        rows,
        bound,
        operation == Operation.OVERWRITE ? "bound" : "unbound",
        count(PartitionMigration.SUPERSEDED),
        count(PartitionMigration.REFUSED),
        count(PartitionMigration.FAILED),
        count(PartitionMigration.REJECTED),
        count(PartitionMigration.NEVER_SENT),
        stops.partitions());
  }
}
