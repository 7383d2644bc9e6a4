package io.github.tpns4j.examples.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.cli.csv.Csv;
import io.github.tpns4j.cli.csv.CsvRows;
import io.github.tpns4j.cli.csv.FileMark;
import io.github.tpns4j.cli.csv.RowRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The job's input, each data row with its fate by {@link RowRules}: the rules of {@code tpns4j
 * import}, so that a row has the same fate in both (comments, a header that orders the columns, an
 * extra column rejected, values trimmed, an empty token rejected, types {@code ""}, {@code 0} and
 * {@code 07}). Blank lines, comments and the header are left out; a rejected row keeps its reason
 * and its text verbatim. Every row keeps its file and line, and the index of the {@code --input} it
 * came from: input order is {@code --input} order, then the file's path, then the line.
 *
 * <p>CSV is read with {@link Csv}, each file whole by one task ({@code binaryFiles}): a big CSV is
 * parsed by one task, then spread over the partitions. For very large inputs, Parquet is the
 * format: Spark reads it in parallel, and its values go through the same {@link RowRules} (its
 * columns by name, a row's "line" is its row number in its file, from 1).
 */
final class InputRows {
  static final String ROW = RowRules.Kind.ROW.name();
  static final String REJECTED = RowRules.Kind.REJECTED.name();

  /** The parsed rows: {@code account_type} is the type as read, null when the row gives none. */
  static final StructType SCHEMA =
      new StructType()
          .add("input", DataTypes.IntegerType, false)
          .add("file", DataTypes.StringType)
          .add("line", DataTypes.LongType, false)
          .add("kind", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("original", DataTypes.StringType)
          .add("token", DataTypes.StringType)
          .add("account", DataTypes.StringType)
          .add("account_type", DataTypes.IntegerType)
          .add("header", DataTypes.StringType); // the file's header as read, CSV; null for none

  private InputRows() {}

  /** Every data row of the inputs, valid ({@link #ROW}) or {@link #REJECTED}. */
  static Dataset<Row> read(
      SparkSession spark, String format, List<String> inputs, RowRules.Shape shape)
      throws IOException {
    Dataset<Row> all = null;
    for (int i = 0; i < inputs.size(); i++) {
      Dataset<Row> one =
          format.equals("parquet")
              ? parquet(spark, inputs.get(i), i, shape)
              : csv(spark, inputs.get(i), i, shape);
      all = all == null ? one : all.unionAll(one);
    }
    return all;
  }

  private static Dataset<Row> csv(SparkSession spark, String input, int index, RowRules.Shape shape)
      throws IOException {
    List<String> files = files(spark.sparkContext().hadoopConfiguration(), input);
    if (files.isEmpty()) {
      return spark.createDataFrame(new ArrayList<Row>(), SCHEMA);
    }
    StringBuilder paths = new StringBuilder();
    for (String f : files) {
      paths.append(paths.length() == 0 ? "" : ",").append(globEscaped(f));
    }
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .binaryFiles(paths.toString())
            .flatMap(new ParseFile(index, shape));
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** How many rows of each kind ({@link #ROW}, {@link #REJECTED}) the input has, in one pass. */
  static java.util.Map<String, Long> count(Dataset<Row> parsed) {
    java.util.Map<String, Long> n = new java.util.HashMap<>();
    for (Row r : parsed.groupBy("kind").count().collectAsList()) {
      n.put(r.getString(0), r.getLong(1));
    }
    return n;
  }

  /**
   * The files of one {@code --input} (a file, a directory read recursively, or a glob), in path
   * order, without the hidden files of a directory ({@code _SUCCESS}, {@code .crc}), as Spark's own
   * readers list them.
   */
  static List<String> files(Configuration conf, String input) throws IOException {
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matched = fs.globStatus(p);
    boolean glob = input.matches(".*[*?\\[{].*");
    if (matched == null || matched.length == 0) {
      throw new java.io.FileNotFoundException(
          "--input " + input + (glob ? " matches no file" : " does not exist"));
    }
    List<String> files = new ArrayList<>();
    for (FileStatus s : matched) {
      // a file a glob matched is one of a folder's, as Spark's readers see it: _SUCCESS and
      // .crc files are skipped, never refused; a file named outright is refused when hidden
      collect(fs, s, files, !glob);
    }
    return files;
  }

  /**
   * A folder's hidden files are skipped; a hidden file named as the input is refused, loudly:
   * Hadoop's readers ({@code binaryFiles}) never read it, and a row is never lost silently.
   */
  private static void collect(FileSystem fs, FileStatus s, List<String> files, boolean named)
      throws IOException {
    String name = s.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      if (named && !s.isDirectory()) {
        throw new IllegalArgumentException(
            "--input "
                + s.getPath()
                + ": Hadoop's readers skip a file whose name starts with _ or . (give it another"
                + " name)");
      }
      if (!named) {
        return;
      }
    }
    if (s.isDirectory()) {
      FileStatus[] children = fs.listStatus(s.getPath());
      Arrays.sort(children);
      for (FileStatus c : children) {
        collect(fs, c, files, false);
      }
    } else {
      refuseSpentOrPlan(fs, s.getPath());
      files.add(s.getPath().toString());
    }
  }

  /**
   * Files of {@code tpns4j} the job must not send: one whose work a run finished ({@code .done}), a
   * plan a newer one replaced ({@code .superseded}), and a plan ({@code to-bind.csv}, {@code
   * to-unbind.csv}): {@code tpns4j import} applies a plan, checking that it is still fresh, made
   * from a wanted file that has not changed, and applied the right way round. Checked on the
   * driver, before anything is sent; the files Spark writes ({@code part-*}) carry no mark and are
   * not opened.
   */
  private static void refuseSpentOrPlan(FileSystem fs, Path p) throws IOException {
    String name = p.getName();
    if (name.endsWith(".done") || name.endsWith(".superseded")) {
      throw new IllegalArgumentException(
          "--input "
              + p
              + (name.endsWith(".done")
                  ? " is a file whose work a run finished"
                  : " is a plan a newer plan replaced")
              + ": sending it would send old rows again. Nothing was sent");
    }
    if (name.startsWith("part-")) {
      return;
    }
    FileMark mark;
    try (InputStream in = fs.open(p)) {
      mark = mark(in);
    }
    if (mark != null && mark.isPlan()) {
      throw new IllegalArgumentException(
          "--input "
              + p
              + " is a plan made by tpns4j reconcile: apply it with tpns4j import"
              + (mark.apply.equals("unbind") ? " --unbind" : "")
              + ", which checks that it is still fresh and the right way round. Nothing was sent");
    }
  }

  /** A path as Hadoop's glob reads it back as itself. */
  private static String globEscaped(String path) {
    return path.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  /** One CSV file, read lazily by one task: its rows, rejected ones in place. */
  private static final class ParseFile
      implements FlatMapFunction<Tuple2<String, PortableDataStream>, Row> {
    private static final long serialVersionUID = 1L;
    private final int index;
    private final RowRules.Shape shape;

    ParseFile(int index, RowRules.Shape shape) {
      this.index = index;
      this.shape = shape;
    }

    @Override
    public Iterator<Row> call(Tuple2<String, PortableDataStream> file) throws IOException {
      String path = file._1();
      FileMark mark;
      try (InputStream in = open(file._2())) {
        mark = mark(in);
      }
      InputStream in = open(file._2());
      ArrayDeque<Row> ready = new ArrayDeque<>();
      CsvRows[] self = new CsvRows[1];
      CsvRows rows =
          new CsvRows(in, mark, shape, r -> ready.add(row(index, path, r, shape, header(self[0]))));
      self[0] = rows;
      Iterator<RowRules.Row> it = rows.iterator();
      return new Iterator<Row>() {
        private boolean done;

        @Override
        public boolean hasNext() {
          if (ready.isEmpty() && !done) {
            if (it.hasNext()) { // may add rejected rows to ready first: they come before this row
              ready.add(row(index, path, it.next(), shape, header(rows)));
            } else {
              done = true;
              try {
                rows.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }
          return !ready.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }
      };
    }
  }

  /**
   * The file's bytes as they are. On a local file system Hadoop checks a file against the {@code
   * .crc} it wrote beside it, and fails once the file was edited: a user fixing rejected rows in
   * place, in a folder the job wrote, is the way back, so the file is read without that check.
   */
  private static InputStream open(PortableDataStream file) throws IOException {
    Path p = new Path(file.getPath());
    FileSystem fs = p.getFileSystem(file.getConfiguration());
    InputStream raw =
        fs instanceof ChecksumFileSystem
            ? ((ChecksumFileSystem) fs).getRawFileSystem().open(p)
            : fs.open(p);
    // users.csv.gz and the like, as Spark's own CSV reader reads them
    org.apache.hadoop.io.compress.CompressionCodec codec =
        new org.apache.hadoop.io.compress.CompressionCodecFactory(file.getConfiguration())
            .getCodec(p);
    return codec == null ? raw : codec.createInputStream(raw);
  }

  private static String header(CsvRows rows) {
    List<String> h = rows == null ? List.of() : rows.header();
    return h.isEmpty() ? null : Csv.line(h);
  }

  /**
   * What a file is: its {@link FileMark} (a file tpns4j wrote); for a folder of rejected rows this
   * job wrote ({@code line,reason,original row,file,source header}: Spark's writer writes no mark),
   * one made of its {@code source header}, so that its original rows are read in their own file's
   * column order; else null.
   */
  static FileMark mark(InputStream in) throws IOException {
    Csv.Reader reader = new Csv.Reader(in);
    Csv.Record first = reader.next();
    // A folder of rejected rows this job wrote has no mark (Spark's writer writes none): RowRules
    // reads each of its rows in the column order of its own "source header", as tpns4j does.
    return first == null || first.problem != null ? null : FileMark.parse(first.raw);
  }

  /** The column of a folder of rejected rows that holds the header of the file they came from. */
  static final String SOURCE_HEADER = "source header";

  private static Row row(
      int input, String file, RowRules.Row r, RowRules.Shape shape, String header) {
    if (r.kind == RowRules.Kind.REJECTED) {
      return RowFactory.create(
          input, file, r.line, REJECTED, r.reason, r.original, null, null, null, header);
    }
    if (shape == RowRules.Shape.TOKENS) {
      try {
        // A bare token is checked only when a request is made of it: here, with the SDK's rules,
        // rather than inside a bulk run, where an invalid item would stop the partition.
        BatchOperateRequest.deleteAllForTokens(r.token);
      } catch (TpnsValidationException e) {
        return RowFactory.create(
            input, file, r.line, REJECTED, e.getMessage(), r.original, null, null, null, header);
      }
    }
    return RowFactory.create(
        input,
        file,
        r.line,
        ROW,
        null,
        r.original,
        r.token,
        r.account == null ? null : r.account.account(),
        r.account == null ? null : r.account.accountType(),
        header);
  }

  /** Parquet: Spark's reader, in parallel; each value through the same rules, as text. */
  private static Dataset<Row> parquet(
      SparkSession spark, String input, int index, RowRules.Shape shape) {
    Dataset<Row> raw = spark.read().parquet(input);
    List<String> names = Arrays.asList(raw.columns());
    List<String> header = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    for (String column : columns(shape)) {
      String found = null;
      for (String n : names) {
        if (n.trim().equalsIgnoreCase(column)) {
          found = n;
        }
      }
      if (found == null && header.size() < required(shape)) {
        throw new IllegalArgumentException(
            "--input " + input + " has no column \"" + column + "\"; expected " + shape.expected());
      }
      header.add(column);
      cols.add(
          (found == null ? lit(null) : col("`" + found + "`"))
              .cast(DataTypes.StringType)
              .as(column));
    }
    cols.add(col("_metadata.file_path").as("_file"));
    cols.add(col("_metadata.row_index").as("_row"));
    Dataset<Row> values = raw.select(cols.toArray(new Column[0]));
    int n = header.size();
    JavaRDD<Row> rows =
        values
            .toJavaRDD()
            .mapPartitions(
                (FlatMapFunction<Iterator<Row>, Row>)
                    it -> {
                      RowRules rules = new RowRules(shape, header);
                      return new Iterator<Row>() {
                        private Row next;

                        @Override
                        public boolean hasNext() {
                          while (next == null && it.hasNext()) {
                            Row v = it.next();
                            List<String> fields = new ArrayList<>(n);
                            for (int c = 0; c < n; c++) {
                              fields.add(v.isNullAt(c) ? "" : v.getString(c));
                            }
                            long line = v.getLong(n + 1) + 1;
                            // a Parquet row is a row: never a comment or a blank line to skip
                            RowRules.Row r = rules.judge(line, Csv.line(fields), fields);
                            next = row(index, v.getString(n), r, shape, null);
                          }
                          return next != null;
                        }

                        @Override
                        public Row next() {
                          if (!hasNext()) {
                            throw new NoSuchElementException();
                          }
                          Row r = next;
                          next = null;
                          return r;
                        }
                      };
                    });
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static List<String> columns(RowRules.Shape shape) {
    switch (shape) {
      case TOKENS:
        return List.of("token");
      case ACCOUNTS:
        return List.of("account", "account_type");
      default:
        return List.of("token", "account", "account_type");
    }
  }

  private static int required(RowRules.Shape shape) {
    return shape == RowRules.Shape.BINDINGS ? 2 : 1;
  }
}
