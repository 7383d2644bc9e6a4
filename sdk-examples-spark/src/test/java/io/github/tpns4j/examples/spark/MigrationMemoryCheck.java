package io.github.tpns4j.examples.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link MigrationMemoryTest}, against the fake server of the parent: the job
 * in {@code local[4]} over the input it is given, in the heap the child is given. Prints the counts
 * and the peak heap. Arguments: input, output, access ID, secret key, base URL.
 */
public final class MigrationMemoryCheck {
  private MigrationMemoryCheck() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[4]")
            .appName("migration-memory")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    try {
      JobOptions o = new JobOptions();
      o.inputs.add(args[0]);
      o.output = args[1];
      o.callsInFlight = 16;
      o.partitions = 4;
      Summary s =
          MigrateMode.migrate(
              spark,
              new MigrationSettings(args[2], args[3], args[4], null, Operation.OVERWRITE, 1),
              o);
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println(
          "rows="
              + s.rows
              + " bound="
              + s.bound
              + " refused="
              + s.count(PartitionMigration.REFUSED)
              + " max heap="
              + Runtime.getRuntime().maxMemory() / (1024 * 1024)
              + " MiB peak heap="
              + peak / (1024 * 1024)
              + " MiB");
    } finally {
      spark.stop();
      ExecutorClients.closeAll();
    }
  }
}
