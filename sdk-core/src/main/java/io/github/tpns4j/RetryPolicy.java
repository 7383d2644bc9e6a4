package io.github.tpns4j;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What is retried and how long to wait first. Immutable.
 *
 * <p>The one rule: a failure is retried when {@link TpnsException#isRetryable()} says so (I/O
 * failures and timeouts, HTTP 429/500/502/503/504, {@code ret_code} 1008004 and 1008028), at most
 * {@code maxRetries} times. The wait is the server's {@code Retry-After} when it is at most 60 s (a
 * longer one ends the call at once: the server wants the caller, not this call, to wait), otherwise
 * {@code initial} doubling per retry, capped at {@code max}, with "equal jitter" (between half and
 * all of it). No arithmetic here overflows, whatever {@code maxRetries} is.
 */
final class RetryPolicy {
  static final long MAX_HONOURED_RETRY_AFTER_NANOS = Duration.ofSeconds(60).toNanos();

  private final int maxRetries;
  private final long initialNanos;
  private final long maxNanos;

  /** Durations are checked by the builder: 0 <= initial <= max <= Integer.MAX_VALUE ms. */
  RetryPolicy(int maxRetries, Duration initial, Duration max) {
    this.maxRetries = maxRetries;
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  static boolean isRateLimit(TpnsException e) {
    return e instanceof TpnsRateLimitException
        || (e instanceof TpnsHttpException && ((TpnsHttpException) e).httpStatus() == 429);
  }

  /**
   * How long to wait before retrying after {@code failure}, which ended attempt {@code retries + 1}
   * (so {@code retries} retries were made before it), in nanoseconds; -1 to give up.
   */
  long delayNanos(TpnsException failure, int retries) {
    if (!failure.isRetryable() || retries >= maxRetries) {
      return -1;
    }
    Duration retryAfter = failure.retryAfter().orElse(null);
    if (retryAfter != null) {
      return retryAfter.compareTo(Duration.ofNanos(MAX_HONOURED_RETRY_AFTER_NANOS)) > 0
          ? -1
          : retryAfter.toNanos();
    }
    return backoffNanos(retries);
  }

  /** The jittered backoff before retry {@code retries + 1}. */
  long backoffNanos(int retries) {
    long cap = capNanos(retries);
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }

  /** min(initial * 2^retries, max), without overflow. */
  long capNanos(int retries) {
    if (initialNanos == 0) {
      return 0;
    }
    int shift = Math.min(Math.max(retries, 0), 62);
    return initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxRetries="
        + maxRetries
        + ", initial="
        + Duration.ofNanos(initialNanos)
        + ", max="
        + Duration.ofNanos(maxNanos)
        + "}";
  }
}
