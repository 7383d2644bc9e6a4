package io.github.tpns4j.cli.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of a tpns4j CSV file, read once and lazily as {@link Csv} and judged by {@link
 * RowRules}: the iterator returns the rows to use; each rejected row goes to the {@link Rejects}
 * with its line number and reason, and reading goes on. A file tpns4j wrote tells what it is in its
 * first line ({@link #mark()}); a file of rejected rows is read as its original rows, with their
 * original line numbers.
 */
public final class CsvRows implements Iterable<RowRules.Row>, AutoCloseable {
  /** Where rejected rows go. */
  public interface Rejects {
    /**
     * @param row a rejected row: its line (in the file it was first read from), its reason, and its
     *     original text, verbatim
     */
    void reject(RowRules.Row row);
  }

  private final Csv.Reader reader;
  private final RowRules rules;
  private final Rejects rejects;
  private final FileMark mark;
  private boolean iterated;
  private long records; // data rows seen: valid and rejected
  private long rejected;
  private long line; // the line of the row last returned

  public CsvRows(Path file, RowRules.Shape shape, Rejects rejects) throws IOException {
    this(Files.newInputStream(file), FileMark.of(file), shape, rejects);
  }

  /** Rows from a stream (a Spark task's file), with the file's mark if it has one, or null. */
  public CsvRows(InputStream in, FileMark mark, RowRules.Shape shape, Rejects rejects) {
    this.reader = new Csv.Reader(in);
    this.mark = mark;
    this.rules = new RowRules(shape);
    if (mark != null && mark.kind.startsWith("rejected") && !mark.sourceHeader.isEmpty()) {
      rules.originalHeader(mark.sourceHeader);
    }
    this.rejects = rejects;
  }

  /** Counts the data rows of a file (for progress), valid and rejected, with the same rules. */
  public static long count(Path file, RowRules.Shape shape) throws IOException {
    try (CsvRows rows = new CsvRows(file, shape, r -> {})) {
      long n = 0;
      for (RowRules.Row ignored : rows) {
        n++;
      }
      return n + rows.rejected;
    }
  }

  /** What the file says it is (its first line), or null for a file tpns4j did not write. */
  public FileMark mark() {
    return mark;
  }

  /** The header as read, or empty. For a file of rejected rows, its source's header. */
  public List<String> header() {
    if (rules.isRejectsFile() && mark != null) {
      return mark.sourceHeader;
    }
    return rules.isRejectsFile() ? Collections.<String>emptyList() : rules.header();
  }

  /** Data rows seen so far, valid and rejected. */
  public long records() {
    return records;
  }

  public long rejected() {
    return rejected;
  }

  /** The line (its first, for a row over several) of the row the iterator returned last. */
  public long line() {
    return line;
  }

  @Override
  public Iterator<RowRules.Row> iterator() {
    if (iterated) {
      throw new IllegalStateException("a CsvRows is read once");
    }
    iterated = true;
    return new Iterator<RowRules.Row>() {
      private RowRules.Row next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        try {
          Csv.Record r;
          while ((r = reader.next()) != null) {
            RowRules.Row row = rules.next(r);
            if (row.kind == RowRules.Kind.SKIPPED) {
              continue;
            }
            records++;
            if (row.kind == RowRules.Kind.ROW) {
              next = row;
              return true;
            }
            rejected++;
            rejects.reject(row);
          }
          return false;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public RowRules.Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        RowRules.Row row = next;
        next = null;
        line = row.line;
        return row;
      }
    };
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
