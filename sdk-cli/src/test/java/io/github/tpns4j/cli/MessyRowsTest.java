package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.cli.csv.Csv;
import io.github.tpns4j.cli.csv.CsvRows;
import io.github.tpns4j.cli.csv.RowRules;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The messy-row table (src/test/resources/messy): each row of a messy file with the fate every tool
 * gives it. The Spark job asserts the same table (BindingMigration's tests).
 */
class MessyRowsTest {
  static final Path TABLES = Paths.get("src/test/resources/messy");

  /** One expected fate: line, ROW or REJECTED, the row's values, a part of the reason. */
  record Fate(long line, String fate, String token, String account, String type, String reason) {}

  static List<Fate> fates(String name) throws IOException {
    List<Fate> out = new ArrayList<>();
    try (Csv.Reader r = new Csv.Reader(Files.newInputStream(TABLES.resolve(name + ".fates.csv")))) {
      r.next(); // header
      Csv.Record rec;
      while ((rec = r.next()) != null) {
        List<String> f = rec.fields;
        out.add(
            new Fate(Long.parseLong(f.get(0)), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"messy-rows", "messy-reordered"})
  void theRowRulesGiveEveryRowItsFate(String name) throws IOException {
    List<Fate> expected = fates(name);
    List<Fate> actual = new ArrayList<>();
    try (CsvRows rows =
        new CsvRows(
            TABLES.resolve(name + ".csv"),
            RowRules.Shape.BINDINGS,
            r -> actual.add(new Fate(r.line, "REJECTED", "", "", "", r.reason)))) {
      for (RowRules.Row r : rows) {
        Integer type = r.account.accountType();
        actual.add(
            new Fate(
                r.line,
                "ROW",
                r.token,
                r.account.account(),
                type == null ? "" : type.toString(),
                ""));
      }
    }
    actual.sort((a, b) -> Long.compare(a.line(), b.line()));
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Fate e = expected.get(i);
      Fate a = actual.get(i);
      assertThat(a.line()).as("row %d", i).isEqualTo(e.line());
      assertThat(a.fate()).as("line %d", e.line()).isEqualTo(e.fate());
      if (e.fate().equals("ROW")) {
        assertThat(a).as("line %d", e.line()).isEqualTo(e);
      } else {
        assertThat(a.reason()).as("line %d", e.line()).contains(e.reason());
      }
    }
  }

  /**
   * {@code tpns4j import} binds the ROW rows (the later of one token and type) and rejects the
   * rest.
   */
  @ParameterizedTest
  @ValueSource(strings = {"messy-rows", "messy-reordered"})
  void importBindsTheRowsAndRejectsTheRestWithTheirLines(String name, @TempDir Path dir)
      throws IOException {
    List<Fate> expected = fates(name);
    try (FakeTpnsServer fake = FakeTpnsServer.start()) {
      Cli.Run run =
          Cli.run(
              fake,
              "import",
              TABLES.resolve(name + ".csv").toString(),
              "--out-dir",
              dir.toString());
      assertThat(run.code()).as(run.out()).isEqualTo(1);
      Map<String, Account> last = new LinkedHashMap<>();
      long rejected = 0;
      for (Fate f : expected) {
        if (f.fate().equals("ROW")) {
          int type = f.type().isEmpty() ? 0 : Integer.parseInt(f.type());
          last.put(f.token() + "\u0000" + type, Account.of(f.account(), type));
        } else {
          rejected++;
        }
      }
      for (Map.Entry<String, Account> e : last.entrySet()) {
        String token = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
        assertThat(fake.accountsOf(token)).as(token).contains(e.getValue());
        assertThat(fake.accountsOf(token)).as(token).hasSize(1);
      }
      List<String> lines = new ArrayList<>();
      try (Csv.Reader r =
          new Csv.Reader(Files.newInputStream(dir.resolve(ImportCommand.REJECTED)))) {
        r.next();
        r.next();
        Csv.Record rec;
        while ((rec = r.next()) != null) {
          lines.add(rec.fields.get(0));
        }
      }
      assertThat(lines).hasSize((int) rejected);
      List<String> want = new ArrayList<>();
      for (Fate f : expected) {
        if (f.fate().equals("REJECTED")) {
          want.add(Long.toString(f.line()));
        }
      }
      assertThat(lines).containsExactlyElementsOf(want);
    }
  }

  /** The Spark job's rejected rows carry their file's header: the CLI reads them in that order. */
  @org.junit.jupiter.api.Test
  void aSparkRejectedRowIsReadInItsOwnFilesColumnOrder(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("part-0000.csv");
    Files.writeString(
        f,
        "line,reason,original row,file,source header\n"
            + "4,has 4 fields,\"bob,t-3,2\",/data/in.csv,\"account,token,account_type\"\n"
            + "7,has 4 fields,\"t-9,carol,1\",/data/other.csv,\n");
    List<String> rows = new ArrayList<>();
    try (CsvRows r = new CsvRows(f, RowRules.Shape.BINDINGS, x -> rows.add("rejected " + x))) {
      for (RowRules.Row row : r) {
        rows.add(
            row.line
                + ":"
                + row.token
                + "|"
                + row.account.account()
                + "|"
                + row.account.accountType());
      }
    }
    assertThat(rows).containsExactly("4:t-3|bob|2", "7:t-9|carol|1");
  }
}
