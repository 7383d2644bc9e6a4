package io.github.tpns4j;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one owner of retry decisions: {@link #decide} turns a failed attempt and the call's {@link
 * History} into a {@link Decision}: retry after a wait, send again later because TPNS is pacing the
 * caller, or fail. Immutable.
 *
 * <p>Errors and throttling are different things. A retryable error (I/O failures and timeouts, HTTP
 * 500/502/503/504, {@code ret_code} 1008004) is retried at most {@code maxRetries} times, and in a
 * bulk run only while the run's {@link RetryBudget} has a token. A rate limit ({@code 1008028},
 * HTTP 429) is pacing, not failure: it is always waited out and sent again, whatever {@code
 * maxRetries} is and whatever the budget holds, until no call has succeeded for {@code
 * rateLimitTimeout} (for a single call: since it was made), or, for a single call, until its
 * deadline. The wait is the server's {@code Retry-After} when it sent one (for a single call at
 * most 60 s: a longer one ends the call at once, the server wants the caller, not this call, to
 * wait), otherwise {@code initial} doubling per retry (errors and rate limits counted apart),
 * capped at {@code max}, with "equal jitter" (between half and all of it). No wait begins that
 * would end after the call's deadline. No arithmetic here overflows.
 */
final class RetryPolicy {
  static final long MAX_HONOURED_RETRY_AFTER_NANOS = Duration.ofSeconds(60).toNanos();

  /** What to do after a failed attempt. */
  enum Kind {
    /** Wait {@link Decision#delayNanos}, then attempt again; counted against {@code maxRetries}. */
    RETRY,
    /** Rate limited: wait, then attempt again; not counted against {@code maxRetries}. */
    RETRY_THROTTLED,
    /** Rate limited in a bulk run: the call ends, and the run pauses and sends it again. */
    RESEND,
    /** The call ends with the failure. */
    FAIL
  }

  /** A decision and, unless it is {@link Kind#FAIL}, how long to wait first. */
  static final class Decision {
    static final Decision FAIL = new Decision(Kind.FAIL, -1, null);

    final Kind kind;
    final long delayNanos;

    /** For {@link Kind#FAIL} on throttling: why the SDK gave up; null otherwise. */
    final String gaveUp;

    private Decision(Kind kind, long delayNanos, String gaveUp) {
      this.kind = kind;
      this.delayNanos = delayNanos;
      this.gaveUp = gaveUp;
    }

    static Decision of(Kind kind, long delayNanos) {
      return new Decision(kind, delayNanos, null);
    }

    static Decision gaveUp(String why) {
      return new Decision(Kind.FAIL, -1, why);
    }

    @Override
    public String toString() {
      return kind + (delayNanos >= 0 ? " after " + Duration.ofNanos(delayNanos) : "");
    }
  }

  /**
   * One call's record, the input of every decision: how many times it was retried after errors and
   * sent again after rate limits, and when it was made. A bulk run keeps one per chunk across its
   * resends, so a chunk has {@code maxRetries} error retries in all, not per resend. Written by one
   * attempt at a time; volatile for the threads that read it after.
   */
  static final class History {
    final long startNanos;
    volatile int retries;
    volatile int throttles;

    History(long startNanos) {
      this.startNanos = startNanos;
    }

    int attempts() {
      return retries + throttles + 1;
    }
  }

  private final int maxRetries;
  private final long initialNanos;
  private final long maxNanos;
  private final long rateLimitTimeoutNanos;

  /**
   * Durations are checked by the builder: 0 <= initial <= max <= Integer.MAX_VALUE ms, and 1 ms <=
   * rateLimitTimeout <= Integer.MAX_VALUE ms.
   */
  RetryPolicy(int maxRetries, Duration initial, Duration max, Duration rateLimitTimeout) {
    this.maxRetries = maxRetries;
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.rateLimitTimeoutNanos = rateLimitTimeout.toNanos();
  }

  RetryPolicy(int maxRetries, Duration initial, Duration max) {
    this(maxRetries, initial, max, TpnsClient.Builder.DEFAULT_RATE_LIMIT_TIMEOUT);
  }

  static boolean isRateLimit(TpnsException e) {
    return e instanceof TpnsRateLimitException
        || (e instanceof TpnsHttpException && ((TpnsHttpException) e).httpStatus() == 429);
  }

  /**
   * What to do after {@code failure} ended an attempt of a call with history {@code h}.
   *
   * @param now {@code System.nanoTime()}
   * @param deadline the call's deadline in {@code System.nanoTime()} terms; unused when {@code
   *     !hasDeadline}
   * @param stopped the call's bulk run stopped: nothing is retried
   * @param budget the bulk run's budget, or null for a single call; a {@link Kind#RETRY} takes a
   *     token from it
   */
  Decision decide(
      History h,
      TpnsException failure,
      long now,
      boolean hasDeadline,
      long deadline,
      boolean stopped,
      RetryBudget budget) {
    if (stopped || !failure.isRetryable()) {
      return Decision.FAIL;
    }
    long delay;
    if (isRateLimit(failure)) {
      Duration retryAfter = failure.retryAfter().orElse(null);
      delay = retryAfter != null ? clampNanos(retryAfter) : backoffNanos(h.throttles);
      // A run is patient while any of its calls succeeds; a single call, from when it was made.
      long since = budget != null ? budget.lastSuccessNanos() : h.startNanos;
      if (now - since >= rateLimitTimeoutNanos
          || (budget != null && now + delay - since - rateLimitTimeoutNanos > 0)) {
        return Decision.gaveUp(
            (budget != null ? "no call of the bulk run succeeded" : "the call was rate limited")
                + " for "
                + Duration.ofMillis(Math.max(0, now - since) / 1_000_000)
                + " (rateLimitTimeout "
                + Duration.ofNanos(rateLimitTimeoutNanos)
                + ")");
      }
      if (budget != null) {
        return Decision.of(Kind.RESEND, delay);
      }
      if (retryAfter != null && delay > MAX_HONOURED_RETRY_AFTER_NANOS) {
        return Decision.FAIL;
      }
      if ((hasDeadline && now + delay - deadline >= 0)
          || now + delay - h.startNanos - rateLimitTimeoutNanos > 0) {
        return Decision.FAIL;
      }
      return Decision.of(Kind.RETRY_THROTTLED, delay);
    }
    if (h.retries >= maxRetries) {
      return Decision.FAIL;
    }
    Duration retryAfter = failure.retryAfter().orElse(null);
    if (retryAfter != null) {
      delay = clampNanos(retryAfter);
      if (delay > MAX_HONOURED_RETRY_AFTER_NANOS) {
        return Decision.FAIL;
      }
    } else {
      delay = backoffNanos(h.retries);
    }
    if (hasDeadline && now + delay - deadline >= 0) {
      return Decision.FAIL;
    }
    if (budget != null && !budget.tryAcquire()) {
      return Decision.FAIL;
    }
    return Decision.of(Kind.RETRY, delay);
  }

  private static long clampNanos(Duration d) {
    return d.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : d.toNanos();
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
        + ", rateLimitTimeout="
        + Duration.ofNanos(rateLimitTimeoutNanos)
        + "}";
  }
}
