package io.github.tpns4j.examples.spark;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.cli.csv.Csv;
import io.github.tpns4j.cli.csv.RowRules;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demos, run without {@code --input}: bundled sample data against an in-process fake TPNS, in
 * local mode only. The migration's sample has 1 000 rows, some malformed on purpose, and the fake
 * knows 99 % of its tokens; export and reconcile read {@code sample-wanted.csv} (100 accounts, 3
 * tokens each) against a fake that holds those bindings with drift: some tokens missing, some
 * stale, some accounts with none.
 */
final class Demo {
  static final String SAMPLE = "sample-bindings.csv";
  static final String WANTED = "sample-wanted.csv";

  private Demo() {}

  /** Copies the mode's sample out of the jar for Spark to read, seeds the fake; the sample. */
  static Path prepare(JobOptions o, FakeTpnsServer fake) throws IOException {
    if (o.mode.equals(JobOptions.MIGRATE)) {
      Path sample = sample(SAMPLE);
      knowAllButOnePercent(fake, sample);
      return sample;
    }
    Path wanted = sample(WANTED);
    seedWithDrift(fake, wanted);
    return wanted;
  }

  /** A bundled sample, copied out of the jar. */
  static Path sample(String name) throws IOException {
    Path dir = Files.createTempDirectory("tpns4j-sample");
    Path file = dir.resolve(name);
    try (InputStream in = Demo.class.getResourceAsStream("/" + name)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    file.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return file;
  }

  /** The fake knows every token of the input but those of one data row in a hundred. */
  static void knowAllButOnePercent(FakeTpnsServer fake, Path sample) throws IOException {
    fake.setRequireRegisteredTokens(true);
    RowRules rules = new RowRules(RowRules.Shape.BINDINGS);
    int i = 0;
    try (Csv.Reader r = new Csv.Reader(Files.newInputStream(sample))) {
      Csv.Record rec;
      while ((rec = r.next()) != null) {
        RowRules.Row row = rules.next(rec);
        if (row.kind == RowRules.Kind.SKIPPED) {
          continue;
        }
        if (row.kind == RowRules.Kind.ROW && i % 100 != 7) {
          fake.registerToken(row.token);
        }
        i++;
      }
    }
  }

  /**
   * TPNS as the app left it: the wanted bindings, but for one account in ten a wanted token is
   * missing, for one in ten a stale token is bound too, and one in twenty has none at all.
   */
  static void seedWithDrift(FakeTpnsServer fake, Path wanted) throws IOException {
    fake.setRequireRegisteredTokens(false);
    RowRules rules = new RowRules(RowRules.Shape.BINDINGS);
    try (Csv.Reader r = new Csv.Reader(Files.newInputStream(wanted))) {
      Csv.Record rec;
      while ((rec = r.next()) != null) {
        RowRules.Row row = rules.next(rec);
        if (row.kind != RowRules.Kind.ROW) {
          continue;
        }
        int user = Integer.parseInt(row.account.account().replaceAll("\\D", ""));
        int slot = Integer.parseInt(row.token.substring(row.token.length() - 1));
        Account a = Account.of(row.account.account(), row.account.accountType());
        if (user % 20 == 0 || (user % 10 == 3 && slot == 2)) {
          continue; // none at all; a wanted token missing
        }
        fake.bind(row.token, a);
        if (user % 10 == 7 && slot == 0) {
          fake.bind("stale-" + user, a);
        }
      }
    }
  }
}
