package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultCodeTest {
  @Test
  void namesDocumentedCodesAndFallsBackToUnknown() {
    assertThat(ResultCode.of(0)).isEqualTo(ResultCode.SUCCESS);
    assertThat(ResultCode.of(1008028)).isEqualTo(ResultCode.RATE_LIMITED);
    assertThat(ResultCode.of(10110008)).isEqualTo(ResultCode.NOT_FOUND);
    assertThat(ResultCode.of(-1)).isEqualTo(ResultCode.UNKNOWN);
    assertThat(ResultCode.of(42)).isEqualTo(ResultCode.UNKNOWN);
    assertThat(ResultCode.of("1008006")).isEqualTo(ResultCode.INVALID_TOKEN);
    assertThat(ResultCode.of("ok")).isEqualTo(ResultCode.SUCCESS);
    assertThat(ResultCode.of("nope")).isEqualTo(ResultCode.UNKNOWN);
    assertThat(ResultCode.of((String) null)).isEqualTo(ResultCode.UNKNOWN);
    assertThat(ResultCode.APP_NOT_DEPLOYED.code()).isEqualTo(1010001);
  }

  @Test
  void onlyInternalErrorsAndRateLimitsAreWorthRetryingUnchanged() {
    for (ResultCode c : ResultCode.values()) {
      assertThat(c.isRetryable())
          .as(c.name())
          .isEqualTo(c == ResultCode.INTERNAL_ERROR || c == ResultCode.RATE_LIMITED);
    }
    assertThat(io.github.tpns4j.account.ItemResult.of("t", null).isRetryable()).isTrue();
    assertThat(io.github.tpns4j.account.ItemResult.of("t", "1008004").isRetryable()).isTrue();
    assertThat(io.github.tpns4j.account.ItemResult.of("t", "1008006").isRetryable()).isFalse();
    assertThat(io.github.tpns4j.account.ItemResult.of("t", "1008007").isRetryable()).isFalse();
    assertThat(io.github.tpns4j.account.ItemResult.of("t", "0").isRetryable()).isFalse();
  }
}
