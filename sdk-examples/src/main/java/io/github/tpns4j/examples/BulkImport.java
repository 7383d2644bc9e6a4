package io.github.tpns4j.examples;

import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Binds (token, account) pairs from a CSV file through {@code bulkOperate}, with a live progress
 * bar, a summary, and the failed rows written to a CSV that can be run again.
 *
 * <pre>
 * BulkImport [FILE.csv] [--rows N] [--concurrency N] [--failed-out FILE]
 * </pre>
 *
 * <p>Each line is {@code token,account[,account_type]}; a first line starting with {@code token}
 * and lines starting with {@code #} are skipped. The file is read lazily, twice at most (once to
 * count rows for the ETA, and again to write the failed rows). Without a file, N demo rows are
 * generated (default 20 000); against the fake server, a few of their tokens are left unregistered
 * so that the failure path shows too.
 */
public final class BulkImport {
  public static void main(String[] args) throws IOException {
    Path file = null;
    long demoRows = 20_000;
    int concurrency = 8;
    Path failedOut = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows":
          demoRows = Long.parseLong(args[++i]);
          break;
        case "--concurrency":
          concurrency = Integer.parseInt(args[++i]);
          break;
        case "--failed-out":
          failedOut = Paths.get(args[++i]);
          break;
        default:
          file = Paths.get(args[i]);
      }
    }
    if (failedOut == null) {
      failedOut = Paths.get("failed-rows.csv");
    }
    try (ExampleEnvironment env = ExampleEnvironment.fromEnv(Duration.ofMillis(40))) {
      long total = file == null ? demoRows : countRows(file);
      Iterable<TokenAccounts> rows = file == null ? demoRows(demoRows) : csvRows(file);
      if (file == null && env.fake != null) {
        // demo: every 997th token is unknown to the fake, so some rows fail with 1008006
        env.fake.setRequireRegisteredTokens(true);
        for (long i = 0; i < demoRows; i++) {
          if (i % 997 != 500) {
            env.fake.registerToken(demoToken(i));
          }
        }
      }
      System.out.println(
          "Binding "
              + total
              + " rows from "
              + (file == null ? "generated demo data" : file)
              + " with "
              + concurrency
              + " calls in flight");
      Progress progress = new Progress(total, System.console() != null);
      long start = System.nanoTime();
      BulkResult result;
      try {
        result =
            env.client.bulkOperate(
                BulkRequest.overwrite(rows).concurrency(concurrency).onProgress(progress));
      } catch (TpnsValidationException e) {
        progress.finish();
        System.err.println("Stopped at an invalid row: " + e.getMessage());
        System.exit(2);
        return;
      } catch (TpnsException e) {
        progress.finish();
        System.err.println("Stopped: " + e.getMessage());
        System.exit(1);
        return;
      }
      progress.finish();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "Done in %.1f s: %d rows bound, %d failed, %d calls, %d calls failed as a whole%n",
          seconds,
          result.itemsSucceeded(),
          result.failures().size(),
          result.calls(),
          result.errors().size());
      for (TpnsException e : result.errors()) {
        System.out.println("  call failed: " + e.getMessage());
      }
      if (!result.failures().isEmpty()) {
        Map<String, String> codes = new HashMap<>();
        for (ItemResult f : result.failures()) {
          codes.put(f.key(), f.code());
        }
        long written =
            writeFailed(file == null ? demoRows(demoRows) : csvRows(file), codes, failedOut);
        System.out.println(
            written
                + " failed rows written to "
                + failedOut.toAbsolutePath()
                + " (token,account,account_type,code); run them again with: BulkImport "
                + failedOut);
      }
    }
  }

  // ---- input

  static String demoToken(long i) {
    return String.format("demo-token-%08d", i);
  }

  static Iterable<TokenAccounts> demoRows(long n) {
    return () ->
        new Iterator<TokenAccounts>() {
          long i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          public TokenAccounts next() {
            if (i >= n) {
              throw new NoSuchElementException();
            }
            long k = i++;
            return TokenAccounts.of(demoToken(k), Account.of("user-" + k + "@example.com", 1005));
          }
        };
  }

  static long countRows(Path file) throws IOException {
    long[] n = {0};
    forEachRow(file, row -> n[0]++);
    return n[0];
  }

  /** Reads the file lazily: one line per {@code next()}. */
  static Iterable<TokenAccounts> csvRows(Path file) {
    return () -> {
      BufferedReader reader;
      try {
        reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Iterator<TokenAccounts>() {
        long line;
        String[] next = advance();

        private String[] advance() {
          try {
            String l;
            while ((l = reader.readLine()) != null) {
              line++;
              String t = l.trim();
              if (t.isEmpty() || t.startsWith("#") || (line == 1 && t.startsWith("token"))) {
                continue;
              }
              return t.split(",", -1);
            }
            reader.close();
            return null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public TokenAccounts next() {
          if (next == null) {
            throw new NoSuchElementException();
          }
          String[] f = next;
          long at = line;
          next = advance();
          return toRow(f, at);
        }
      };
    };
  }

  static TokenAccounts toRow(String[] f, long line) {
    if (f.length < 2 || f.length > 4) {
      throw new IllegalArgumentException(
          "line " + line + ": expected token,account[,account_type]");
    }
    Account account;
    if (f.length >= 3 && !f[2].trim().isEmpty()) {
      try {
        account = Account.of(f[1].trim(), Integer.parseInt(f[2].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "line " + line + ": account_type \"" + f[2] + "\" is not a number");
      }
    } else {
      account = Account.of(f[1].trim());
    }
    return TokenAccounts.of(f[0].trim(), account);
  }

  private static void forEachRow(Path file, Consumer<String> row) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String l;
      long line = 0;
      while ((l = r.readLine()) != null) {
        line++;
        String t = l.trim();
        if (!t.isEmpty() && !t.startsWith("#") && !(line == 1 && t.startsWith("token"))) {
          row.accept(t);
        }
      }
    }
  }

  /** Writes the input rows whose token failed, with the code, in input order. */
  static long writeFailed(Iterable<TokenAccounts> rows, Map<String, String> codes, Path out)
      throws IOException {
    long n = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("token,account,account_type,code\n");
      for (TokenAccounts row : rows) {
        if (codes.containsKey(row.token())) {
          for (Account a : row.accounts()) {
            w.write(
                row.token()
                    + ","
                    + a.account()
                    + ","
                    + (a.accountType() == null ? "" : a.accountType())
                    + ","
                    + codes.get(row.token())
                    + "\n");
          }
          n++;
        }
      }
    }
    return n;
  }

  // ---- progress

  /**
   * A progress bar on a terminal; plain lines every 2 seconds otherwise. Called from OkHttp
   * threads.
   */
  static final class Progress implements io.github.tpns4j.account.BulkProgressListener {
    private final long total;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long lastItems;

    Progress(long total, boolean tty) {
      this.total = total;
      this.tty = tty;
    }

    @Override
    public synchronized void onProgress(long itemsDone, long callsDone) {
      lastItems = itemsDone;
      long now = System.nanoTime();
      long every = tty ? 100_000_000L : 2_000_000_000L;
      if (now - lastPrint >= every || itemsDone == total) {
        lastPrint = now;
        print(itemsDone, callsDone, now);
      }
    }

    private void print(long items, long calls, long now) {
      double seconds = Math.max(1e-3, (now - start) / 1e9);
      double rate = items / seconds;
      long eta = rate > 0 && total > items ? Math.round((total - items) / rate) : 0;
      int pct = total == 0 ? 100 : (int) (100 * items / total);
      if (tty) {
        int width = 30;
        int filled = width * pct / 100;
        StringBuilder bar = new StringBuilder("\r[");
        for (int i = 0; i < width; i++) {
          bar.append(i < filled ? '#' : '.');
        }
        System.out.printf(
            "%s] %3d%% %,d/%,d rows  %,.0f rows/s  ETA %ds   ", bar, pct, items, total, rate, eta);
        System.out.flush();
      } else {
        System.out.printf(
            "progress: %d/%d rows (%d%%), %d calls, %.0f rows/s, ETA %d s%n",
            items, total, pct, calls, rate, eta);
      }
    }

    synchronized void finish() {
      if (tty) {
        System.out.println();
      } else if (lastItems < total) {
        print(lastItems, -1, System.nanoTime());
      }
    }
  }
}
