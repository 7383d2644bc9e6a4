package io.github.tpns4j.cli;

import io.github.tpns4j.account.BulkProgressListener;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress of a long run: a bar on a terminal, a plain line every 2 seconds otherwise. Rows done
 * are rows answered plus rows rejected, never more than the total. Called on the run's thread.
 */
final class Progress implements BulkProgressListener {
  private final long total;
  private final String unit;
  private final boolean tty;
  private final LongSupplier rejected;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private long lastPrint = System.nanoTime();
  private long lastDone;

  Progress(long total, String unit, boolean tty, LongSupplier rejected, PrintStream out) {
    this.total = total;
    this.unit = unit;
    this.tty = tty;
    this.rejected = rejected;
    this.out = out;
  }

  @Override
  public void onProgress(long itemsDone, long callsDone) {
    long done = Math.min(total, itemsDone + rejected.getAsLong());
    lastDone = done;
    long now = System.nanoTime();
    long every = tty ? 100_000_000L : 2_000_000_000L;
    if (now - lastPrint >= every) {
      lastPrint = now;
      print(done, now);
    }
  }

  private void print(long done, long now) {
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    double rate = done / seconds;
    long eta = rate > 0 && total > done ? Math.round((total - done) / rate) : 0;
    int pct = total <= 0 ? 100 : (int) Math.min(100, 100 * done / total);
    if (tty) {
      int width = 30;
      int filled = width * pct / 100;
      StringBuilder bar = new StringBuilder("\r[");
      for (int i = 0; i < width; i++) {
        bar.append(i < filled ? '#' : '.');
      }
      out.printf(
          "%s] %3d%% %,d/%,d %s  %,.0f/s  ETA %ds   ", bar, pct, done, total, unit, rate, eta);
      out.flush();
    } else {
      out.printf(
          "progress: %d/%d %s (%d%%), %.0f/s, ETA %d s%n", done, total, unit, pct, rate, eta);
    }
  }

  void finish() {
    if (tty) {
      print(lastDone, System.nanoTime());
      out.println();
    }
  }
}
