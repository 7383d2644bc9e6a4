package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.ResultCode;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class BatchOperateResultTest {
  private static final BatchOperateRequest TWO_TOKENS =
      BatchOperateRequest.overwrite(
          TokenAccounts.of("token1", Account.of("a")), TokenAccounts.of("token2", Account.of("b")));

  @Test
  void pairsOneCodePerKeyInOrder() {
    BatchOperateResult r =
        BatchOperateResult.of(TWO_TOKENS, 1008026, "partly", Arrays.asList("0", "1008006"));
    assertThat(r.items())
        .containsExactly(ItemResult.of("token1", "0"), ItemResult.of("token2", "1008006"));
    assertThat(r.failures()).containsExactly(ItemResult.of("token2", "1008006"));
    assertThat(r.failures().get(0).resultCode()).isEqualTo(ResultCode.INVALID_TOKEN);
    assertThat(r.isAllSuccess()).isFalse();
    assertThat(r.retCode()).isEqualTo(1008026);
    assertThat(r.errMsg()).isEqualTo("partly");
    assertThat(r.rawResult()).containsExactly("0", "1008006");
  }

  @Test
  void takesTheDocumentedSingleZeroForTwoTokensAsSuccess() {
    BatchOperateResult r =
        BatchOperateResult.of(TWO_TOKENS, 0, "NO_ERROR", Collections.singletonList("0"));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.items())
        .containsExactly(ItemResult.of("token1", "0"), ItemResult.of("token2", "0"));
    assertThat(r.rawResult()).containsExactly("0");
  }

  @Test
  void takesOkAsSuccessAndKeepsItAsReceived() {
    BatchOperateResult r = BatchOperateResult.of(TWO_TOKENS, 0, "ok", Arrays.asList("ok", "ok"));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.items()).extracting(ItemResult::code).containsExactly("ok", "ok");
  }

  @Test
  void neverGuessesAnUnattributableFailure() {
    BatchOperateResult r =
        BatchOperateResult.of(TWO_TOKENS, 1008026, "partly", Collections.singletonList("1008006"));
    assertThat(r.items())
        .containsExactly(ItemResult.of("token1", null), ItemResult.of("token2", null));
    assertThat(r.failures()).hasSize(2);
    BatchOperateResult longer =
        BatchOperateResult.of(TWO_TOKENS, 1008027, "all failed", Arrays.asList("1", "2", "3"));
    assertThat(longer.failures()).extracting(ItemResult::code).containsOnlyNulls();
    BatchOperateResult none = BatchOperateResult.of(TWO_TOKENS, 1008027, null, null);
    assertThat(none.failures()).hasSize(2);
    assertThat(none.rawResult()).isEmpty();
    assertThat(none.errMsg()).isEmpty();
  }

  @Test
  void reportsAFailedItemEvenUnderRetCodeZero() {
    BatchOperateResult r =
        BatchOperateResult.of(TWO_TOKENS, 0, "NO_ERROR", Arrays.asList("0", "1008029"));
    assertThat(r.failures()).containsExactly(ItemResult.of("token2", "1008029"));
  }

  @Test
  void isAValue() {
    BatchOperateResult a = BatchOperateResult.of(TWO_TOKENS, 0, "ok", Arrays.asList("0", "0"));
    BatchOperateResult b = BatchOperateResult.of(TWO_TOKENS, 0, "ok", Arrays.asList("0", "0"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).contains("retCode=0").contains("items=2");
  }

  @Test
  void itemResultsAreValues() {
    assertThat(ItemResult.of("t", "0").isSuccess()).isTrue();
    assertThat(ItemResult.of("t", "OK").isSuccess()).isTrue();
    assertThat(ItemResult.of("t", null).isSuccess()).isFalse();
    assertThat(ItemResult.of("t", null).resultCode()).isEqualTo(ResultCode.UNKNOWN);
    assertThat(ItemResult.of("t", "1008006"))
        .isEqualTo(ItemResult.of("t", "1008006"))
        .hasSameHashCodeAs(ItemResult.of("t", "1008006"))
        .hasToString("ItemResult{key=t, code=1008006}");
  }
}
