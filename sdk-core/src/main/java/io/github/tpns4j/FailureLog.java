package io.github.tpns4j;

/**
 * The failures of a call's earlier attempts, attached as suppressed exceptions to the one it ends
 * with. Keeps the first and the most recent few only, so that {@code maxRetries(Integer.MAX_VALUE)}
 * allocates no more than {@code maxRetries(2)}. Touched by one attempt at a time.
 */
final class FailureLog {
  static final int KEPT = 8;

  private final TpnsException[] recent = new TpnsException[KEPT - 1];
  private TpnsException first;
  private long count;

  void add(TpnsException failure) {
    if (count == 0) {
      first = failure;
    } else {
      recent[(int) ((count - 1) % recent.length)] = failure;
    }
    count++;
  }

  /** {@code last} with the kept earlier failures suppressed in it, oldest first. */
  <E extends TpnsException> E attachTo(E last) {
    if (count == 0) {
      return last;
    }
    if (first != last) {
      last.addSuppressed(first);
    }
    long later = count - 1;
    long from = Math.max(0, later - recent.length);
    for (long i = from; i < later; i++) {
      TpnsException t = recent[(int) (i % recent.length)];
      if (t != null && t != last) {
        last.addSuppressed(t);
      }
    }
    return last;
  }

  static <E extends TpnsException> E attach(FailureLog log, E last) {
    return log == null ? last : log.attachTo(last);
  }
}
