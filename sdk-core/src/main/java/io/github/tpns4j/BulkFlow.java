package io.github.tpns4j;

/**
 * How many calls a bulk run may have in flight, and when it may send. Starts at the request's
 * concurrency; on a rate limit halves it and pauses every sender, then grows back by one call per
 * {@code limit} successes (additive increase, multiplicative decrease). Used by the run's thread
 * only.
 */
final class BulkFlow {
  private final int max;
  private int limit;
  private int inFlight;
  private int successStreak;
  private long pauseUntil; // System.nanoTime() before which nothing is sent, when paused
  private boolean paused;

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

  void sent() {
    inFlight++;
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

  /** A call was rate limited: halve the limit and pause until {@code now + delayNanos}. */
  void rateLimited(long now, long delayNanos) {
    limit = Math.max(1, limit / 2);
    successStreak = 0;
    long until = now + delayNanos;
    if (!paused || until - pauseUntil > 0) {
      pauseUntil = until;
      paused = true;
    }
  }
}
