package io.github.tpns4j.cli.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A CSV output: its {@link FileMark} on the first line, then its header and rows; written aside (a
 * hidden temporary file in the output directory) and moved to its name by {@link #commit()} once
 * the input has been read to its end, or never made when it got no row. Its name is the plain one
 * unless another file has it: then {@code name-1.csv}, {@code name-2.csv}, ...: no run replaces
 * what it did not read, and only a file of its own kind that it read (a {@code failed-rows.csv}
 * whose rows fail again) is replaced. A plan ({@link #supersedes}) is the exception: an older plan
 * of the same kind made from the same file is moved aside to {@code name.superseded}, so that the
 * plain name is always that file's newest plan.
 */
public final class RowFile implements AutoCloseable {
  private static final java.util.Random RANDOM = new java.security.SecureRandom();
  private final Path outDir;
  private final Path input; // this run's input (real path), which an output may replace; or null
  private final String name;
  private final Supplier<FileMark> markSupplier;
  private FileMark mark;
  private final String[] header;
  private boolean supersedes;
  private Path temp;
  private Writer writer;
  private long rows;
  private Path target;
  private Path superseded;

  /**
   * @param mark what the file is, asked for when its first row is written (the header of the input
   *     is known by then)
   */
  public RowFile(Path outDir, Path input, String name, Supplier<FileMark> mark, String... header) {
    this.outDir = outDir;
    this.input = input;
    this.name = name;
    this.markSupplier = mark;
    this.header = header;
  }

  /** An older file of this name and kind (a plan) is moved aside instead of kept beside. */
  public RowFile supersedes() {
    this.supersedes = true;
    return this;
  }

  public void write(String... fields) {
    try {
      if (writer == null) {
        // not createTempFile: its owner-only permissions would stay on the output; this one gets
        // the umask's, like any file the user makes
        temp =
            Files.createFile(
                outDir.resolve(
                    "."
                        + name
                        + "."
                        + Long.toHexString(System.nanoTime())
                        + RANDOM.nextInt(1 << 30)
                        + ".tmp"));
        temp.toFile().deleteOnExit(); // a run stopped by Ctrl-C leaves no hidden file
        writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        writer.write(mark().line());
        writer.write("\r\n");
        line(header);
      }
      line(fields);
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void line(String... fields) throws IOException {
    writer.write(Csv.line(Arrays.asList(fields)));
    writer.write("\r\n");
  }

  private FileMark mark() {
    if (mark == null) {
      mark = markSupplier.get();
    }
    return mark;
  }

  /** Rows written. */
  public long rows() {
    return rows;
  }

  /** Where the file went ({@link #commit()}); null when it got no row. */
  public Path target() {
    return target;
  }

  /** The older plan moved aside by {@link #commit()}, or null. */
  public Path superseded() {
    return superseded;
  }

  public void commit() throws IOException {
    if (writer == null) {
      return;
    }
    writer.close();
    writer = null;
    if (supersedes) {
      retireOlderPlan();
    }
    String stem = name.substring(0, name.length() - ".csv".length());
    for (int k = 0; ; k++) {
      Path p = outDir.resolve(k == 0 ? name : stem + "-" + k + ".csv").toAbsolutePath().normalize();
      try {
        if (mayReplace(p)) {
          Files.move(temp, p, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.move(temp, p); // fails when the name is taken, even by a run beside this one
        }
        target = p;
        temp = null;
        return;
      } catch (FileAlreadyExistsException e) {
        // taken: the next name
      }
    }
  }

  /**
   * Whether this output may replace {@code p}: only when {@code p} is this run's input (read to its
   * end by now) and a file of the same kind (a {@code failed-rows.csv} run again whose rows fail
   * again): never a file of the user's, nor a result of another kind.
   */
  private boolean mayReplace(Path p) throws IOException {
    if (!isInput(p)) {
      return false;
    }
    FileMark old = FileMark.of(p);
    return old != null && old.kind.equals(mark().kind);
  }

  /**
   * Renames a file whose work is done to {@code NAME.done} ({@code NAME.1.done}, ... when taken),
   * never over another file.
   */
  public static Path retire(Path file) throws IOException {
    for (int k = 0; ; k++) {
      Path done = file.resolveSibling(file.getFileName() + (k == 0 ? "" : "." + k) + ".done");
      try {
        return Files.move(file, done);
      } catch (FileAlreadyExistsException e) {
        // the next name
      }
    }
  }

  /** Moves an older plan of this name aside even when this run writes none (nothing to do). */
  public Path retireOlderPlan() throws IOException {
    Path p = outDir.resolve(name).toAbsolutePath().normalize();
    if (Files.isRegularFile(p) && !isInput(p) && isOlderPlan(p)) {
      superseded = p.resolveSibling(name + ".superseded");
      Files.move(p, superseded, StandardCopyOption.REPLACE_EXISTING);
      return superseded;
    }
    return null;
  }

  private boolean isInput(Path p) throws IOException {
    return input != null && Files.exists(p) && Files.isSameFile(p, input);
  }

  private boolean isOlderPlan(Path p) throws IOException {
    FileMark old = FileMark.of(p);
    return old != null
        && old.isPlan()
        && old.kind.equals(mark().kind)
        && java.util.Objects.equals(old.source, mark().source);
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
    if (temp != null) {
      Files.deleteIfExists(temp); // not committed: the run failed before its end
    }
  }
}
