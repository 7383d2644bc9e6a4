package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkFlowTest {
  private static final long MS = 1_000_000L;

  @Test
  void handsOutTwiceTheLimitThenWaitsForACompletion() {
    BulkFlow flow = new BulkFlow(3);
    assertThat(BulkFlow.inFlightMax(3)).isEqualTo(6); // 3 on the wire, 3 ready
    for (int i = 0; i < 6; i++) {
      assertThat(flow.waitNanos(0)).isZero();
      flow.sent();
    }
    assertThat(flow.waitNanos(0)).isEqualTo(-1);
    flow.completed(true);
    assertThat(flow.waitNanos(0)).isZero();
    flow.sent();
    assertThat(flow.waitNanos(0)).isEqualTo(-1);
    flow.withdrawn(); // taken back before it was sent
    assertThat(flow.waitNanos(0)).isZero();
  }

  @Test
  void aBurstOfRateLimitsHalvesOnceAndPausesEverySender() {
    BulkFlow flow = new BulkFlow(64);
    long[] seq = new long[64];
    for (int i = 0; i < 64; i++) {
      seq[i] = flow.sent();
    }
    // all 64 calls in flight answer 1008028 in one burst: one halving, not 64
    assertThat(flow.rateLimited(seq[0], 0, 100 * MS)).isTrue();
    for (int i = 1; i < 64; i++) {
      assertThat(flow.rateLimited(seq[i], i * MS, 100 * MS)).isFalse();
      flow.completed(false);
    }
    flow.completed(false);
    assertThat(flow.limit()).isEqualTo(32);
    // paused until the last one's wait is over (63 ms + 100 ms)
    assertThat(flow.waitNanos(100 * MS)).isEqualTo(63 * MS);
    assertThat(flow.waitNanos(163 * MS)).isZero();
    // a call sent after the halving that is rate limited again halves again
    long later = flow.sent();
    assertThat(flow.rateLimited(later, 200 * MS, 10 * MS)).isTrue();
    assertThat(flow.limit()).isEqualTo(16);
  }

  @Test
  void growsBackByOneCallPerWindowOfSuccesses() {
    BulkFlow flow = new BulkFlow(8);
    flow.rateLimited(flow.sent(), 0, 0);
    flow.completed(false);
    assertThat(flow.limit()).isEqualTo(4);
    int successes = 0;
    while (flow.limit() < 8) {
      flow.sent();
      flow.completed(true);
      successes++;
    }
    // 4 + 5 + 6 + 7 successes: one window per step, as TCP's congestion avoidance
    assertThat(successes).isEqualTo(4 + 5 + 6 + 7);
    flow.sent();
    assertThat(flow.completed(true)).isFalse(); // never past the request's concurrency
    assertThat(flow.limit()).isEqualTo(8);
  }

  @Test
  void aFailureResetsTheStreakAndTheLimitNeverFallsBelowOne() {
    BulkFlow flow = new BulkFlow(2);
    for (int i = 0; i < 5; i++) {
      flow.rateLimited(flow.sent(), 0, 0);
      flow.completed(false);
    }
    assertThat(flow.limit()).isEqualTo(1);
    flow.sent();
    flow.completed(false);
    flow.sent();
    assertThat(flow.completed(true)).isTrue(); // a window of 1
    assertThat(flow.limit()).isEqualTo(2);
  }
}
