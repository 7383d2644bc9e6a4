package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static TpnsException retryable(Duration retryAfter) {
    return new TpnsHttpException("503", 503, true, retryAfter);
  }

  @Test
  void aZeroInitialBackoffRetriesWithoutWaiting() {
    RetryPolicy p = new RetryPolicy(5, Duration.ZERO, Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      assertThat(p.delayNanos(retryable(null), i)).isZero();
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
      long d = p.delayNanos(retryable(null), retries);
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
  void honoursRetryAfterUpToAMinuteAndGivesUpBeyond() {
    RetryPolicy p = new RetryPolicy(2, Duration.ofMillis(200), Duration.ofSeconds(5));
    assertThat(p.delayNanos(retryable(Duration.ofSeconds(60)), 0))
        .isEqualTo(Duration.ofSeconds(60).toNanos());
    assertThat(p.delayNanos(retryable(Duration.ofSeconds(61)), 0)).isEqualTo(-1);
    assertThat(p.delayNanos(retryable(Duration.ofSeconds(Long.MAX_VALUE)), 0)).isEqualTo(-1);
  }

  @Test
  void retriesOnlyRetryableFailuresAndAtMostMaxRetriesTimes() {
    RetryPolicy p = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1));
    assertThat(p.delayNanos(new TpnsHttpException("400", 400, false, null), 0)).isEqualTo(-1);
    assertThat(p.delayNanos(retryable(null), 1)).isNotNegative();
    assertThat(p.delayNanos(retryable(null), 2)).isEqualTo(-1);
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
