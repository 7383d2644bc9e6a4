package io.github.tpns4j;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retries a bulk run allows its calls, shared by all of them: a token bucket (as the AWS SDK's
 * retry quota). A retry after an error takes a token (a rate-limited call sent again takes none:
 * throttling is pacing, not failure); a call that succeeds gives one back, up to the capacity, and
 * is the run's last success, from which {@link RetryPolicy} times its patience with throttling. So
 * retries go on as long as calls also succeed, and during an outage they run out after a bounded
 * number, whatever the client's {@code maxRetries}: calls then fail as a whole, and the run's
 * outage stop ends it. Once the run stops the bucket is closed: no call of the run is retried
 * again. Thread-safe.
 */
final class RetryBudget {
  private static final int CLOSED = Integer.MIN_VALUE;

  private final int capacity;
  private final AtomicInteger tokens;
  private volatile long lastSuccessNanos = System.nanoTime(); // the run's start until a success

  RetryBudget(int capacity) {
    this.capacity = capacity;
    this.tokens = new AtomicInteger(capacity);
  }

  /** When a call of the run last succeeded ({@code System.nanoTime()}), or when the run began. */
  long lastSuccessNanos() {
    return lastSuccessNanos;
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

  /** A call succeeded at {@code now}: one token back, up to the capacity. */
  void refund(long now) {
    lastSuccessNanos = now;
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
