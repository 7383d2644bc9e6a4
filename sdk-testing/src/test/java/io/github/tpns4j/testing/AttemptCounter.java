package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsEventListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a client's HTTP attempts, its retries and the attempts that got no HTTP answer (a timeout
 * is one), through the client's event listener. For tests that count the requests the fake saw: on
 * a loaded machine an attempt can time out (the read timeout) and be retried, and the fake then
 * sees one request more than the test made. Such a retry is not a failure of what those tests
 * check, so they allow one extra request for each attempt that got no answer and that they did not
 * cause themselves.
 */
final class AttemptCounter implements TpnsEventListener {
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger noAnswer = new AtomicInteger();

  @Override
  public void attemptEnded(AttemptEnded event) {
    attempts.incrementAndGet();
    if (event.isIoFailure()) {
      noAnswer.incrementAndGet();
    }
  }

  @Override
  public void retryScheduled(RetryScheduled event) {
    retries.incrementAndGet();
  }

  int attempts() {
    return attempts.get();
  }

  int retries() {
    return retries.get();
  }

  /** Attempts that ended with no HTTP answer: an I/O failure or a timeout. */
  int noAnswer() {
    return noAnswer.get();
  }

  /**
   * Asserts that {@code seen} requests (the fake's count, or a part of it) are the {@code planned}
   * ones plus at most one for each attempt that got no answer beyond the {@code plannedNoAnswer}
   * the test caused itself (a dropped connection it queued): a retry after a timeout, whose first
   * attempt may or may not have reached the fake.
   */
  void assertSeen(int seen, int planned, int plannedNoAnswer) {
    int unplanned = Math.max(0, noAnswer() - plannedNoAnswer);
    assertThat(seen)
        .as(
            "requests seen, with %d planned and %d retries after attempts that got no answer"
                + " (%s)",
            planned, unplanned, this)
        .isBetween(planned, planned + unplanned);
  }

  @Override
  public String toString() {
    return "attempts=" + attempts() + " retries=" + retries() + " noAnswer=" + noAnswer();
  }
}
