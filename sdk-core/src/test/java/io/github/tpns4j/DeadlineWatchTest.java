package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's deadline watch ({@link Lifecycle#watch}): it looks at the calls when the earliest
 * deadline among them comes, not on a period, so calls that end before their deadline (nearly all)
 * never wake it (the client's watch also looks once a second, so that it stops soon after the last
 * call ends: these tests give it 100 hours). Looks are driven by hand here ({@link
 * Lifecycle#look}), except where a test says the timer looks.
 */
class DeadlineWatchTest {
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private final Lifecycle lifecycle = new Lifecycle(100 * HOUR);
  private final List<Call> expired = new ArrayList<>();

  @AfterEach
  void close() {
    lifecycle.close();
  }

  /** A call whose deadline is {@code at}; records its expiry. */
  private final class Call implements Lifecycle.Deadlined {
    final long at;

    Call(long at) {
      this.at = at;
    }

    @Override
    public long deadlineNanos() {
      return at;
    }

    @Override
    public void expire() {
      synchronized (expired) {
        expired.add(this);
      }
    }
  }

  @Test
  void aCallWithALaterDeadlineThanTheNextLookDoesNotMoveIt() {
    long now = System.nanoTime();
    Call first = new Call(now + HOUR);
    lifecycle.watch(first);
    assertThat(lifecycle.nextLookNanos()).isEqualTo(first.at);
    for (int i = 1; i <= 1000; i++) {
      lifecycle.watch(new Call(now + HOUR + i)); // what a busy client's later calls look like
    }
    assertThat(lifecycle.nextLookNanos()).isEqualTo(first.at);
  }

  @Test
  void anEarlierDeadlineMovesTheNextLookForward() {
    long now = System.nanoTime();
    Call late = new Call(now + 2 * HOUR);
    Call soon = new Call(now + HOUR);
    lifecycle.watch(late);
    lifecycle.watch(soon);
    assertThat(lifecycle.nextLookNanos()).isEqualTo(soon.at);
  }

  @Test
  void aLookExpiresTheCallsDueAndWaitsForTheEarliestOfTheOthers() {
    long now = System.nanoTime();
    Call a = new Call(now + 10);
    Call b = new Call(now + 20);
    Call c = new Call(now + 3 * HOUR);
    Call d = new Call(now + 2 * HOUR);
    for (Call call : new Call[] {c, a, d, b}) {
      lifecycle.watch(call);
    }
    lifecycle.look(now + 20);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(lifecycle.nextLookNanos()).isEqualTo(d.at);

    lifecycle.unwatch(d); // it ended in time
    lifecycle.look(d.at);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(lifecycle.nextLookNanos()).isEqualTo(c.at);

    lifecycle.unwatch(c);
    lifecycle.look(c.at);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(lifecycle.nextLookNanos()).as("nothing left to watch").isNull();
  }

  @Test
  void aCallIsExpiredOnce() {
    long now = System.nanoTime();
    Call a = new Call(now + 10);
    lifecycle.watch(a);
    lifecycle.look(now + 10);
    lifecycle.look(now + 20);
    assertThat(expired).containsExactly(a);
  }

  @Test
  void theTimerLooksWhenTheDeadlineComes() throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    long start = System.nanoTime();
    lifecycle.watch(new Call(start + HOUR)); // armed for an hour first
    lifecycle.watch(
        new Lifecycle.Deadlined() {
          @Override
          public long deadlineNanos() {
            return start + TimeUnit.MILLISECONDS.toNanos(20);
          }

          @Override
          public void expire() {
            ended.countDown();
          }
        });
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
  }

  @Test
  void theClientsWatchSleepsAtMostASecond() {
    Lifecycle client = new Lifecycle();
    try {
      long now = System.nanoTime();
      client.watch(new Call(now + HOUR));
      assertThat(client.nextLookNanos())
          .isBetween(now, System.nanoTime() + Lifecycle.LONGEST_SLEEP_NANOS);
    } finally {
      client.close();
    }
  }

  @Test
  void aLookWithNothingDueSleepsAgainUntilTheEarliestDeadline() {
    Lifecycle client = new Lifecycle(TimeUnit.MILLISECONDS.toNanos(1));
    try {
      long now = System.nanoTime();
      Call a = new Call(now + HOUR);
      client.watch(a); // armed for a millisecond from now: the longest sleep
      long first = client.nextLookNanos();
      assertThat(first).isLessThan(a.at);
      client.look(first);
      assertThat(client.nextLookNanos())
          .as("armed again, within the longest sleep")
          .isLessThan(a.at);
      assertThat(expired).isEmpty();
    } finally {
      client.close();
    }
  }

  @Test
  void aClosedClientArmsNothing() {
    lifecycle.close();
    lifecycle.watch(new Call(System.nanoTime() + HOUR));
    assertThat(lifecycle.nextLookNanos()).isNull();
  }
}
