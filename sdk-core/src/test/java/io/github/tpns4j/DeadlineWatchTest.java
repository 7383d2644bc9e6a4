package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's deadline watch ({@link Lifecycle#watch}): it looks at the calls when the earliest
 * deadline among them comes, not on a period, so calls that end before their deadline (nearly all)
 * do not wake it each. The client's watch also looks at least once a second, so that it stops soon
 * after the last call ends; most tests here give it 100 hours, and set every time an hour or more
 * from now, so that they drive the looks by hand ({@link Lifecycle#look}) while the timer stays out
 * of it. The tests that say so let the timer look.
 */
class DeadlineWatchTest {
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final Lifecycle lifecycle = new Lifecycle(100 * HOUR);
  private final List<Call> expired = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    lifecycle.close();
  }

  /**
   * A call whose deadline is {@code at}; when expired, runs {@code onExpiry}, or records its expiry
   * when that is null. Its hash is {@code hash} when not null.
   */
  private final class Call implements Lifecycle.Deadlined {
    final long at;
    private final Runnable onExpiry;
    private final Integer hash;

    Call(long at) {
      this(at, null, null);
    }

    Call(long at, Runnable onExpiry, Integer hash) {
      this.at = at;
      this.onExpiry = onExpiry;
      this.hash = hash;
    }

    @Override
    public long deadlineNanos() {
      return at;
    }

    @Override
    public void expire() {
      if (onExpiry != null) {
        onExpiry.run();
      } else {
        expired.add(this);
      }
    }

    @Override
    public int hashCode() {
      return hash != null ? hash : System.identityHashCode(this);
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }
  }

  /** {@code a - b}, which compares {@code System.nanoTime()} values safely. */
  private static long diff(Long a, long b) {
    assertThat(a).as("a look is armed").isNotNull();
    return a - b;
  }

  @Test
  void aCallWithALaterDeadlineThanTheNextLookDoesNotMoveIt() {
    long now = System.nanoTime();
    Call first = new Call(now + HOUR);
    lifecycle.watch(first);
    assertThat(diff(lifecycle.nextLookNanos(), first.at)).isZero();
    for (int i = 1; i <= 1000; i++) {
      lifecycle.watch(new Call(now + HOUR + i * MS)); // what a busy client's later calls look like
    }
    assertThat(diff(lifecycle.nextLookNanos(), first.at)).isZero();
    assertThat(lifecycle.scheduler().queued()).isEqualTo(1);
  }

  @Test
  void anEarlierDeadlineMovesTheNextLookForwardAndDropsTheOldOne() {
    long now = System.nanoTime();
    long step = Lifecycle.SHORTEST_SLEEP_NANOS;
    for (int i = 1000; i >= 1; i--) {
      lifecycle.watch(new Call(now + HOUR + i * step)); // each a shortest sleep before the last
    }
    assertThat(diff(lifecycle.nextLookNanos(), now + HOUR + step)).isZero();
    assertThat(lifecycle.scheduler().queued())
        .as("one look waits, not one per arming")
        .isEqualTo(1);
  }

  @Test
  void aCallDueLessThanTheShortestSleepBeforeTheNextLookWaitsForIt() {
    long now = System.nanoTime();
    Call first = new Call(now + HOUR);
    Call justBefore = new Call(now + HOUR - 9 * MS);
    lifecycle.watch(first);
    lifecycle.watch(justBefore);
    assertThat(diff(lifecycle.nextLookNanos(), first.at)).isZero();
    lifecycle.look(first.at);
    assertThat(expired).containsExactlyInAnyOrder(first, justBefore);
  }

  @Test
  void aLookExpiresTheCallsDueAndWaitsForTheEarliestOfTheOthers() {
    long base = System.nanoTime() + HOUR;
    Call a = new Call(base + 10);
    Call b = new Call(base + 20);
    Call c = new Call(base + 3 * HOUR);
    Call d = new Call(base + 2 * HOUR);
    for (Call call : new Call[] {c, a, d, b}) {
      lifecycle.watch(call);
    }
    lifecycle.look(base + 20);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(diff(lifecycle.nextLookNanos(), d.at)).isZero();

    lifecycle.unwatch(d); // it ended in time
    lifecycle.look(d.at);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(diff(lifecycle.nextLookNanos(), c.at)).isZero();

    lifecycle.unwatch(c);
    lifecycle.look(c.at);
    assertThat(expired).containsExactlyInAnyOrder(a, b);
    assertThat(lifecycle.nextLookNanos()).as("nothing left to watch").isNull();
  }

  @Test
  void looksAreAtLeastTheShortestSleepApart() {
    long then = System.nanoTime() + HOUR;
    lifecycle.look(then);
    Call due = new Call(then + 1); // due a nanosecond after that look
    lifecycle.watch(due);
    assertThat(diff(lifecycle.nextLookNanos(), then)).isEqualTo(Lifecycle.SHORTEST_SLEEP_NANOS);
    lifecycle.look(then + Lifecycle.SHORTEST_SLEEP_NANOS);
    assertThat(expired).containsExactly(due);
  }

  @Test
  void aCallIsExpiredOnce() {
    long base = System.nanoTime() + HOUR;
    Call a = new Call(base + 10);
    lifecycle.watch(a);
    lifecycle.look(base + 10);
    lifecycle.look(base + 20);
    assertThat(expired).containsExactly(a);
  }

  @Test
  void aLookWithNothingDueSleepsAgainAtMostTheLongestSleep() {
    Lifecycle client = new Lifecycle(HOUR);
    try {
      long now = System.nanoTime();
      Call a = new Call(now + 3 * HOUR);
      client.watch(a); // armed for an hour from now: the longest sleep
      long first = client.nextLookNanos();
      assertThat(first - a.at).isLessThan(-HOUR);
      client.look(first);
      assertThat(expired).isEmpty();
      assertThat(diff(client.nextLookNanos(), a.at))
          .as("armed again, within the longest sleep, not for the deadline")
          .isLessThan(0);
    } finally {
      client.close();
    }
  }

  @Test
  void theClientsWatchSleepsAtMostASecond() {
    Lifecycle client = new Lifecycle();
    try {
      long now = System.nanoTime();
      client.watch(new Call(now + HOUR));
      assertThat(diff(client.nextLookNanos(), now))
          .as("a second from when it was armed, not an hour")
          .isBetween(Lifecycle.LONGEST_SLEEP_NANOS, 2 * Lifecycle.LONGEST_SLEEP_NANOS);
    } finally {
      client.close();
    }
  }

  /** The timer looks by itself: once for each of two deadlines far enough apart. */
  @Test
  void theTimerLooksWhenEachDeadlineComes() throws InterruptedException {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    long start = System.nanoTime();
    lifecycle.watch(new Call(start + HOUR)); // armed for an hour first
    lifecycle.watch(timed(start + 20 * MS, first));
    lifecycle.watch(timed(start + 60 * MS, second));
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20 * MS);
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(60 * MS);
    assertThat(expired).as("the hour-long call is not due").isEmpty();
  }

  private Lifecycle.Deadlined timed(long at, CountDownLatch ended) {
    return new Call(at, ended::countDown, null);
  }

  @Test
  void afterCloseTheWatchGoesOnUntilTheCallsOnTheWireHaveEnded() {
    long base = System.nanoTime() + HOUR;
    Call onTheWire = new Call(base + 10);
    Call endsInTime = new Call(base + HOUR);
    lifecycle.watch(onTheWire);
    lifecycle.watch(endsInTime);
    lifecycle.scheduler().schedule(() -> {}, HOUR); // a retry waiting for its turn
    assertThat(lifecycle.scheduler().queued()).isEqualTo(2);
    lifecycle.close();
    assertThat(lifecycle.scheduler().queued()).as("the retry dropped, the look kept").isEqualTo(1);
    assertThat((Object) lifecycle.scheduler().schedule(() -> {}, HOUR))
        .as("no retry after close")
        .isNull();
    assertThat(diff(lifecycle.nextLookNanos(), onTheWire.at)).isZero();
    lifecycle.look(base + 10);
    assertThat(expired).containsExactly(onTheWire);
    assertThat(diff(lifecycle.nextLookNanos(), endsInTime.at)).isZero();
    lifecycle.unwatch(endsInTime);
    lifecycle.look(endsInTime.at);
    assertThat(lifecycle.nextLookNanos()).isNull();
    lifecycle.watch(new Call(base + 2 * HOUR));
    assertThat(lifecycle.nextLookNanos()).as("shut down once nothing was left").isNull();
  }

  /**
   * A call watched (and on the wire) while the last look scans, behind it, just before close():
   * that look finds nothing left, yet the call keeps its own look. The set's bins are walked in
   * order of the keys' hash: the call due (bin 15) watches the other one (bin 0, already passed)
   * and closes the client as it expires.
   */
  @Test
  void aCallTheLastLookDidNotSeeKeepsItsOwnLookAfterClose() {
    long base = System.nanoTime() + HOUR;
    Lifecycle.Deadlined behind = hashed(0, base + HOUR, () -> {});
    Lifecycle.Deadlined due =
        hashed(
            15,
            base + 10,
            () -> {
              lifecycle.watch(behind);
              lifecycle.close();
            });
    lifecycle.watch(due);
    lifecycle.look(base + 10);
    assertThat(lifecycle.scheduler().queued()).as("the look of the call behind").isEqualTo(1);
    assertThat(diff(lifecycle.nextLookNanos(), base + HOUR)).isZero();
  }

  private Lifecycle.Deadlined hashed(int hash, long at, Runnable onExpiry) {
    return new Call(at, onExpiry, hash);
  }

  @Test
  void aClosedClientArmsNothing() {
    lifecycle.close();
    lifecycle.watch(new Call(System.nanoTime() + HOUR));
    assertThat(lifecycle.nextLookNanos()).isNull();
  }
}
