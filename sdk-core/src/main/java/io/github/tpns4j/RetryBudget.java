package io.github.tpns4j;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retries a bulk run allows its calls, shared by all of them: a token bucket (as the AWS SDK's
 * retry quota). A retry (or a rate-limited chunk sent again) takes a token; a call that succeeds
 * gives one back, up to the capacity. So retries go on as long as calls also succeed, and during an
 * outage they run out after a bounded number, whatever the client's {@code maxRetries}: calls then
 * fail as a whole, and the run's outage stop ends it. Once the run stops the bucket is closed: no
 * call of the run is retried again. Thread-safe.
 */
final class RetryBudget {
  private static final int CLOSED = Integer.MIN_VALUE;

  private final int capacity;
  private final AtomicInteger tokens;

  RetryBudget(int capacity) {
    this.capacity = capacity;
    this.tokens = new AtomicInteger(capacity);
  }

  /** For a run of {@code maxCallsInFlight}: two retries per call in flight, and at least 8. */
  static RetryBudget forRun(int maxCallsInFlight) {
    return new RetryBudget(Math.max(8, 2 * maxCallsInFlight));
  }

  /** Takes a token for one retry; false when none is left or the run stopped. */
  boolean tryAcquire() {
    while (true) {
      int t = tokens.get();
      if (t <= 0) {
        return false;
      }
      if (tokens.compareAndSet(t, t - 1)) {
        return true;
      }
    }
  }

  /** A call succeeded: one token back, up to the capacity. */
  void refund() {
    while (true) {
      int t = tokens.get();
      if (t == CLOSED || t >= capacity) {
        return;
      }
      if (tokens.compareAndSet(t, t + 1)) {
        return;
      }
    }
  }

  /** The run stopped: no more retries. */
  void close() {
    tokens.set(CLOSED);
  }

  int available() {
    return Math.max(0, tokens.get());
  }
}
