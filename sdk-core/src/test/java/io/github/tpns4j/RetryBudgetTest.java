package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void allowsTwoRetriesPerCallInFlightAndAtLeastEight() {
    assertThat(RetryBudget.forRun(1).available()).isEqualTo(8);
    assertThat(RetryBudget.forRun(64).available()).isEqualTo(128);
  }

  @Test
  void runsOutWithoutSuccessesAndRefillsWithThemUpToItsCapacity() {
    RetryBudget b = new RetryBudget(3);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();
    b.refund(System.nanoTime());
    assertThat(b.tryAcquire()).isTrue();
    for (int i = 0; i < 10; i++) {
      b.refund(System.nanoTime());
    }
    assertThat(b.available()).isEqualTo(3);
  }

  @Test
  void aClosedBudgetAllowsNothingEvenAfterSuccesses() {
    RetryBudget b = new RetryBudget(5);
    b.close();
    b.refund(System.nanoTime());
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.available()).isZero();
  }
}
