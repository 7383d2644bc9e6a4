package io.github.tpns4j;

/**
 * How many calls a bulk run may have in flight, and when it may send. Starts at the request's
 * concurrency; on a rate limit halves it and pauses every sender, then grows back by one call per
 * {@code limit} successes (additive increase, multiplicative decrease), as TCP's congestion
 * avoidance does. As in TCP's fast recovery, one burst of rate limits halves once: a call sent
 * before the last halving cannot halve again, since the halving already answered it. Used by the
 * run's thread only.
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

  /** 0 when a call may be sent now; otherwise nanoseconds until that may change, or -1 (never). */
  long waitNanos(long now) {
    if (paused) {
      long left = pauseUntil - now;
      if (left > 0) {
        return left;
      }
      paused = false;
    }
    return inFlight < limit ? 0 : -1;
  }

  /** A call is sent; returns its sequence number, for {@link #rateLimited}. */
  long sent() {
    inFlight++;
    return sends++;
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
