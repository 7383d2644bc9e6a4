package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static TpnsException retryable(Duration retryAfter) {
    return new TpnsHttpException("503", 503, true, retryAfter);
  }

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private static TpnsException error() {
    return retryable(null);
  }

  private static TpnsException rateLimited(Duration retryAfter) {
    return new TpnsRateLimitException("rate limited", 1008028, "limited", 200, retryAfter);
  }

  private static TpnsException http429(Duration retryAfter) {
    return new TpnsHttpException("429", 429, true, retryAfter);
  }

  /** One situation: a call's history and state, the failure, and what must be decided. */
  private static final class Row {
    final String what;
    final TpnsException failure;
    int retries;
    int throttles;
    long age; // how long ago the call was made
    long deadlineLeft = -1; // -1: no deadline
    boolean bulk;
    long sinceSuccess; // bulk: how long ago the run's last success was
    int tokens = 8; // bulk: the run's retry budget
    boolean stopped;
    final RetryPolicy.Kind kind;
    final long delay; // expected wait; -1: any (jitter)

    Row(String what, TpnsException failure, RetryPolicy.Kind kind, long delay) {
      this.what = what;
      this.failure = failure;
      this.kind = kind;
      this.delay = delay;
    }

    Row retries(int n) {
      retries = n;
      return this;
    }

    Row throttles(int n) {
      throttles = n;
      return this;
    }

    Row age(long nanos) {
      age = nanos;
      return this;
    }

    Row deadlineLeft(long nanos) {
      deadlineLeft = nanos;
      return this;
    }

    Row bulk(long sinceSuccessNanos, int budgetTokens) {
      bulk = true;
      sinceSuccess = sinceSuccessNanos;
      tokens = budgetTokens;
      return this;
    }

    Row stopped() {
      stopped = true;
      return this;
    }
  }

  @Test
  void decidesEverySituationFromTheCallsHistory() {
    // maxRetries 2, backoff 100 ms doubling to 1 s, patience with throttling 60 s
    RetryPolicy p =
        new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60));
    RetryPolicy.Kind retry = RetryPolicy.Kind.RETRY;
    RetryPolicy.Kind throttled = RetryPolicy.Kind.RETRY_THROTTLED;
    RetryPolicy.Kind resend = RetryPolicy.Kind.RESEND;
    RetryPolicy.Kind fail = RetryPolicy.Kind.FAIL;
    Duration two = Duration.ofSeconds(2);
    Row[] rows = {
      // errors: maxRetries, the deadline, the budget, Retry-After up to a minute
      new Row("error, first retry", error(), retry, -1),
      new Row("error, last retry", error(), retry, -1).retries(1),
      new Row("error, retries used up", error(), fail, -1).retries(2),
      new Row("error, throttles do not use up retries", error(), retry, -1).throttles(50),
      new Row("not retryable", new TpnsHttpException("400", 400, false, null), fail, -1),
      new Row("error with Retry-After", retryable(two), retry, 2 * S),
      new Row("error with Retry-After over a minute", retryable(Duration.ofSeconds(61)), fail, -1),
      new Row("error, the wait would pass the deadline", retryable(two), fail, -1).deadlineLeft(S),
      new Row("error, the wait fits the deadline", retryable(two), retry, 2 * S)
          .deadlineLeft(3 * S),
      new Row("bulk error, budget has a token", error(), retry, -1).bulk(0, 1),
      new Row("bulk error, budget empty", error(), fail, -1).bulk(0, 0),
      new Row("bulk run stopped", error(), fail, -1).bulk(0, 8).stopped(),
      // throttling of a single call: always waited out, whatever maxRetries, within the deadline
      new Row("rate limited", rateLimited(two), throttled, 2 * S),
      new Row("rate limited, retries used up", rateLimited(two), throttled, 2 * S).retries(2),
      new Row("rate limited many times", rateLimited(null), throttled, -1).throttles(1000),
      new Row("HTTP 429", http429(two), throttled, 2 * S).retries(2),
      new Row("rate limited past the deadline", rateLimited(two), fail, -1).deadlineLeft(S),
      new Row(
          "rate limited, Retry-After over a minute", rateLimited(Duration.ofSeconds(61)), fail, -1),
      new Row("rate limited for longer than the patience", rateLimited(two), fail, -1).age(59 * S),
      // throttling in a bulk run: the run pauses and resends, the budget untouched
      new Row("bulk rate limited", rateLimited(two), resend, 2 * S).bulk(S, 8),
      new Row("bulk rate limited, budget empty", rateLimited(two), resend, 2 * S).bulk(S, 0),
      new Row("bulk rate limited, retries used up", rateLimited(two), resend, 2 * S)
          .retries(2)
          .bulk(S, 0),
      new Row(
              "bulk rate limited, long Retry-After",
              rateLimited(Duration.ofSeconds(50)),
              resend,
              50 * S)
          .bulk(S, 8),
      new Row("bulk, no success for the patience", rateLimited(two), fail, -1).bulk(60 * S, 8),
      new Row("bulk, the pause would outlast the patience", rateLimited(two), fail, -1)
          .bulk(59 * S, 8),
      new Row("bulk rate limited, run stopped", rateLimited(two), fail, -1).bulk(S, 8).stopped(),
    };
    long now = 1_000_000 * S;
    for (Row r : rows) {
      RetryPolicy.History h = new RetryPolicy.History(now - r.age);
      h.retries = r.retries;
      h.throttles = r.throttles;
      RetryBudget budget = null;
      if (r.bulk) {
        budget = new RetryBudget(8);
        budget.refund(now - r.sinceSuccess);
        for (int i = r.tokens; i < 8; i++) {
          budget.tryAcquire();
        }
      }
      int before = budget == null ? 0 : budget.available();
      RetryPolicy.Decision d =
          p.decide(h, r.failure, now, r.deadlineLeft >= 0, now + r.deadlineLeft, r.stopped, budget);
      assertThat(d.kind).as(r.what).isEqualTo(r.kind);
      if (r.delay >= 0) {
        assertThat(d.delayNanos).as(r.what).isEqualTo(r.delay);
      } else if (r.kind != fail) {
        assertThat(d.delayNanos).as(r.what).isBetween(0L, S);
      }
      if (budget != null) {
        int taken = r.kind == retry ? 1 : 0;
        assertThat(budget.available()).as(r.what + ": tokens taken").isEqualTo(before - taken);
      }
    }
  }

  @Test
  void givingUpOnThrottlingSaysWhy() {
    RetryPolicy p =
        new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5));
    long now = 1_000 * S;
    RetryBudget budget = new RetryBudget(8);
    budget.refund(now - 6 * S);
    RetryPolicy.Decision d =
        p.decide(new RetryPolicy.History(now), rateLimited(null), now, false, 0, false, budget);
    assertThat(d.kind).isEqualTo(RetryPolicy.Kind.FAIL);
    assertThat(d.gaveUp).contains("no call of the bulk run succeeded").contains("rateLimitTimeout");
  }

  @Test
  void aZeroInitialBackoffRetriesWithoutWaiting() {
    RetryPolicy p = new RetryPolicy(5, Duration.ZERO, Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      assertThat(p.backoffNanos(i)).isZero();
    }
  }

  @Test
  void backoffDoublesUpToTheCapWithEqualJitterAndNeverOverflows() {
    RetryPolicy p =
        new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(5));
    assertThat(p.capNanos(0)).isEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(p.capNanos(1)).isEqualTo(Duration.ofMillis(400).toNanos());
    assertThat(p.capNanos(5)).isEqualTo(Duration.ofSeconds(5).toNanos());
    for (int retries : new int[] {30, 31, 62, 63, 64, 1000, Integer.MAX_VALUE - 1}) {
      assertThat(p.capNanos(retries)).isEqualTo(Duration.ofSeconds(5).toNanos());
      long d = p.backoffNanos(retries);
      assertThat(d).isBetween(Duration.ofMillis(2500).toNanos(), Duration.ofSeconds(5).toNanos());
    }
    RetryPolicy huge =
        new RetryPolicy(
            Integer.MAX_VALUE,
            Duration.ofMillis(Integer.MAX_VALUE),
            Duration.ofMillis(Integer.MAX_VALUE));
    assertThat(huge.capNanos(Integer.MAX_VALUE - 1))
        .isEqualTo(Duration.ofMillis(Integer.MAX_VALUE).toNanos());
  }

  @Test
  void theBuilderRefusesDurationsOkHttpWouldMisread() {
    TpnsClient.Builder b = TpnsClient.builder().accessId("1").secretKey("s");
    for (Duration bad :
        new Duration[] {
          Duration.ofNanos(500_000),
          Duration.ofNanos(1),
          Duration.ofMillis(Integer.MAX_VALUE).plusMillis(1),
          Duration.ofSeconds(Long.MAX_VALUE),
          Duration.ofMillis(-1)
        }) {
      assertThatThrownBy(() -> b.connectTimeout(bad).build())
          .isInstanceOf(TpnsValidationException.class)
          .hasMessageContaining("connectTimeout");
      b.connectTimeout(null);
      assertThatThrownBy(() -> b.readTimeout(bad).build())
          .isInstanceOf(TpnsValidationException.class);
      b.readTimeout(null);
      assertThatThrownBy(() -> b.callTimeout(bad).build())
          .isInstanceOf(TpnsValidationException.class);
      b.callTimeout(null);
      assertThatThrownBy(() -> b.retryBackoff(bad, Duration.ofSeconds(5)).build())
          .isInstanceOf(TpnsValidationException.class);
      b.retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    }
    b.connectTimeout(Duration.ZERO)
        .readTimeout(Duration.ZERO)
        .callTimeout(Duration.ofMillis(Integer.MAX_VALUE))
        .retryBackoff(Duration.ZERO, Duration.ofMillis(1))
        .build()
        .close();
  }
}
