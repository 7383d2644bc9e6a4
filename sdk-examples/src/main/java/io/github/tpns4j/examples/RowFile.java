package io.github.tpns4j.examples;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * A CSV output: written aside (a hidden temporary file in the output directory), and moved to its
 * name by {@link #commit()} once the input has been read to its end, or removed when it got no row.
 * Its name is the plain one unless a file other than this run's input already has it: then {@code
 * name-1.csv}, {@code name-2.csv}, ...: no run replaces what it did not read.
 */
final class RowFile implements AutoCloseable {
  private final Path outDir;
  private final Path input; // this run's input (real path), which an output may replace; or null
  private final String name;
  private final String[] header;
  private Path temp;
  private Writer writer;
  long rows;
  Path target;

  RowFile(Path outDir, Path input, String name, String... header) {
    this.outDir = outDir;
    this.input = input;
    this.name = name;
    this.header = header;
  }

  void write(String... fields) {
    try {
      if (writer == null) {
        temp = Files.createTempFile(outDir, "." + name + ".", ".tmp");
        writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
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

  void tokenAccounts(TokenAccounts row, String... more) {
    for (Account a : row.accounts()) {
      String[] fields = new String[3 + more.length];
      fields[0] = row.token();
      fields[1] = a.account();
      fields[2] = a.accountType() == null ? "" : a.accountType().toString();
      System.arraycopy(more, 0, fields, 3, more.length);
      write(fields);
    }
  }

  void commit() throws IOException {
    if (writer == null) {
      return;
    }
    writer.close();
    writer = null;
    target = freshTarget();
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    temp = null;
  }

  private Path freshTarget() throws IOException {
    String stem = name.substring(0, name.length() - ".csv".length());
    for (int k = 0; ; k++) {
      Path p = outDir.resolve(k == 0 ? name : stem + "-" + k + ".csv");
      p = p.toAbsolutePath().normalize();
      if (!Files.exists(p) || (input != null && Files.isSameFile(p, input))) {
        return p;
      }
    }
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
