package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.col;

import io.github.tpns4j.cli.NextStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Where a run writes and what it prints: output paths (never one it reads, never one that exists),
 * the outcome folders and their counts, and each next step as a whole command to paste.
 */
final class Outputs {
  static final String COMMAND = "mvn -B -q -pl sdk-examples-spark exec:java";

  private Outputs() {}

  /**
   * The run's call budget as options ({@code --calls-in-flight}, {@code --partitions}, when given),
   * carried into every command it prints, so that a retry keeps the budget the user chose. Set by
   * {@link BindingMigration#run} for its run (one run at a time per JVM).
   */
  static volatile List<String> budget = List.of();

  /**
   * The README's way to run the job with these arguments, pasted in the project root: each argument
   * quoted for exec:java's tokenizer (single quotes, a {@code '} as {@code '"'"'}), and the whole
   * {@code -Dmigration.args=...} quoted for a POSIX shell ({@link NextStep#quote}), so that a path
   * holding a space, {@code $}, a backquote or {@code '} arrives as it is.
   */
  static String command(List<String> args) {
    List<String> all = new java.util.ArrayList<>(args);
    for (int i = 0; i + 1 < budget.size(); i += 2) {
      if (!all.contains(budget.get(i))) {
        all.add(budget.get(i));
        all.add(budget.get(i + 1));
      }
    }
    StringBuilder b = new StringBuilder();
    for (String a : all) {
      b.append(b.length() == 0 ? "" : " ");
      b.append(NextStep.isPlain(a) ? a : "'" + a.replace("'", "'\"'\"'") + "'");
    }
    return COMMAND + " " + NextStep.quote("-Dmigration.args=" + b);
  }

  static String command(String... args) {
    return command(List.of(args));
  }

  /** A path as Hadoop resolves it: a path without a scheme is on the default file system. */
  static Path qualified(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).makeQualified(p);
  }

  /**
   * Refuses an output that is an input, holds one, or lies inside one: Spark would delete it (or
   * read its own output) before reading. Paths are compared as Hadoop resolves them, on the
   * cluster's default file system when they have no scheme (HDFS, say), not as local files.
   */
  static void checkPaths(Configuration conf, JobOptions o)
      throws JobOptions.UsageException, IOException {
    String out = trimSlash(qualified(conf, o.output).toString());
    for (String in : o.inputs) {
      String i = trimSlash(qualified(conf, in).toString());
      if (out.equals(i) || i.startsWith(out + "/") || out.startsWith(i + "/")) {
        throw new JobOptions.UsageException(
            "--output "
                + o.output
                + (out.equals(i)
                    ? " is also an --input"
                    : i.startsWith(out + "/")
                        ? " holds the --input " + in
                        : " lies inside the --input " + in)
                + "; writing it would lose what the job reads. Give a new --output, e.g. --output "
                + NextStep.quote(trimSlash(o.output) + "-2"));
      }
    }
  }

  private static String trimSlash(String s) {
    return s.length() > 1 ? s.replaceAll("/+$", "") : s;
  }

  /** The path to print: a local path as a plain absolute path, any other as its full URI. */
  static String absolute(SparkSession spark, String path) throws IOException {
    Path q = qualified(spark.sparkContext().hadoopConfiguration(), path);
    String s = trimSlash(q.toString());
    return "file".equals(q.toUri().getScheme()) ? trimSlash(q.toUri().getPath()) : s;
  }

  static boolean exists(SparkSession spark, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
  }

  /** {@code path-2}, {@code path-3}, ...: the first that does not exist and is not taken. */
  static String fresh(SparkSession spark, String path, Set<String> taken) throws IOException {
    String stem = trimSlash(path).replaceAll("-\\d+$", "");
    for (int k = 2; ; k++) {
      String candidate = absolute(spark, stem + "-" + k);
      if (!exists(spark, candidate) && taken.add(candidate)) {
        return candidate;
      }
    }
  }

  /** A folder of the output, {@code DIR/outcome=NAME}. */
  static String outcome(String output, String outcome) {
    return trimSlash(output) + "/outcome=" + outcome;
  }

  /**
   * Writes the rejected rows of the input to {@code outcome=rejected} as {@code tpns4j} writes them
   * ({@code line,reason,original row}), with their file and its header ({@code source header}):
   * fixed in place, that folder is read again as its original rows, in their file's column order,
   * reported with their original lines. Call it only when there are some ({@link InputRows#count}).
   */
  static void writeRejected(Dataset<Row> parsed, String output) {
    csv(parsed
            .where(col("kind").equalTo(InputRows.REJECTED))
            // one file per source header: a file of rejected rows is read in one column order
            .repartition(col("header"))
            .select(
                col("line"),
                col("reason"),
                col("original").as("original row"),
                col("file"),
                col("header").as(InputRows.SOURCE_HEADER))
            .write()
            .mode(SaveMode.ErrorIfExists))
        .csv(outcome(output, PartitionMigration.REJECTED));
  }

  /**
   * Rows of each outcome a run wrote, read back from what was written (exact when a task ran
   * twice), in one pass; {@code rejected} (other columns, written from the input alone) as counted
   * when read.
   */
  static Map<String, Long> writtenCounts(SparkSession spark, String output, long rejected) {
    Map<String, Long> written = new LinkedHashMap<>();
    Path pattern = new Path(output, "outcome=*");
    FileStatus[] dirs;
    try {
      dirs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(pattern);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> folders = new ArrayList<>();
    for (FileStatus d : dirs == null ? new FileStatus[0] : dirs) {
      if (!d.getPath().getName().equals("outcome=" + PartitionMigration.REJECTED)) {
        folders.add(d.getPath().toString());
      }
    }
    if (!folders.isEmpty()) {
      for (Row r :
          csv(spark.read())
              .option("basePath", output)
              .schema(MigrateMode.WRITTEN)
              .csv(folders.toArray(new String[0]))
              .groupBy("outcome")
              .count()
              .collectAsList()) {
        written.put(r.getString(0), r.getLong(1));
      }
    }
    if (rejected > 0) {
      written.put(PartitionMigration.REJECTED, rejected);
    }
    return written;
  }

  /** The folders of these outcomes that hold rows, to retry. */
  static List<String> folders(String output, Map<String, Long> written, String... outcomes) {
    List<String> out = new ArrayList<>();
    for (String o : outcomes) {
      if (written.getOrDefault(o, 0L) > 0) {
        out.add(outcome(output, o));
      }
    }
    return out;
  }

  /** RFC 4180 for writing: quotes doubled, line breaks in quotes, nothing trimmed. */
  static <T extends DataFrameWriter<?>> T csv(T w) {
    w.option("header", "true")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .option("encoding", "UTF-8");
    return w;
  }

  /** The same, for reading back what the job wrote (counts, tests). */
  static DataFrameReader csv(DataFrameReader r) {
    return r.option("header", "true")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("multiLine", "true")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .option("encoding", "UTF-8");
  }
}
