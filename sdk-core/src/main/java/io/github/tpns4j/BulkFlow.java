package io.github.tpns4j;

/**
 * How many calls a bulk run may have on the wire ({@link #limit}), and when it may hand out
 * another. The limit starts at the request's concurrency; on a rate limit it halves and every
 * sender pauses, then it grows back by one call per {@code limit} successes (additive increase,
 * multiplicative decrease), as TCP's congestion avoidance does. The run keeps as many calls again
 * ready beside those on the wire ({@link #inFlightMax}), so that a worker whose call ends takes the
 * next at once; only {@code limit} of them run at a time ({@link Lane}). As in TCP's fast recovery,
 * one burst of rate limits halves once: a call sent before the last halving cannot halve again,
 * since the halving already answered it. Used by the run's thread only.
 */
final class BulkFlow {
  private final int max;
  private int limit;
  private int inFlight;
  private int successStreak;
  private long pauseUntil; // System.nanoTime() before which nothing is sent, when paused
  private boolean paused;
  private long sends; // calls sent so far: the sequence number of the next one
  private long recovery; // calls numbered below this were sent before the last halving

  BulkFlow(int max) {
    this.max = max;
    this.limit = max;
  }

  int limit() {
    return limit;
  }

  /**
   * The most calls handed out at a time (on the wire, and ready) for a concurrency of {@code n}.
   */
  static int inFlightMax(int n) {
    return 2 * n;
  }

  /** 0 when a call may be sent now; otherwise nanoseconds until that may change, or -1 (never). */
  long waitNanos(long now) {
    if (paused) {
      long left = pauseUntil - now;
      if (left > 0) {
        return left;
      }
      paused = false;
    }
    return inFlight < inFlightMax(limit) ? 0 : -1;
  }

  /** A call is sent; returns its sequence number, for {@link #rateLimited}. */
  long sent() {
    inFlight++;
    return sends++;
  }

  /** A call handed out was taken back before it was sent. */
  void withdrawn() {
    inFlight--;
  }

  /** A call came back; true when the limit grew. */
  boolean completed(boolean success) {
    inFlight--;
    if (!success) {
      successStreak = 0;
      return false;
    }
    if (limit < max && ++successStreak >= limit) {
      limit++;
      successStreak = 0;
      return true;
    }
    return false;
  }

  /**
   * Call number {@code seq} was rate limited: pause until {@code now + delayNanos}, and halve the
   * limit unless the call was sent before the last halving. True when the limit changed.
   */
  boolean rateLimited(long seq, long now, long delayNanos) {
    boolean halve = seq >= recovery;
    if (halve) {
      limit = Math.max(1, limit / 2);
      recovery = sends;
    }
    successStreak = 0;
    long until = now + delayNanos;
    if (!paused || until - pauseUntil > 0) {
      pauseUntil = until;
      paused = true;
    }
    return halve;
  }
}
