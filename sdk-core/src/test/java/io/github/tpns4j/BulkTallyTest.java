package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTallyTest {
  private static BulkInput.Chunk chunk(long first, String... tokens) {
    long[] indexes = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      indexes[i] = first + i;
    }
    return new BulkInput.Chunk(
        tokens,
        indexes,
        tokens.clone(),
        BatchOperateRequest.deleteAllForTokens(Arrays.asList(tokens)),
        false);
  }

  private static final BulkRequest REQUEST =
      BulkRequest.deleteAllForTokens(Collections.<String>emptyList());

  @Test
  void countsAnsweredItemsAndKeepsFailuresInInputOrder() {
    BulkTally tally = new BulkTally();
    BulkInput.Chunk second = chunk(2, "c", "d");
    BulkInput.Chunk first = chunk(0, "a", "b");
    tally.sent();
    tally.sent();
    // answers come back out of order
    tally.answered(
        second,
        BatchOperateResult.of(
            (BatchOperateRequest) second.call, 1008026, "x", Arrays.asList("0", "1008006")));
    tally.answered(
        first,
        BatchOperateResult.of(
            (BatchOperateRequest) first.call, 1008026, "x", Arrays.asList("1008006", "0")));
    BulkResult r = tally.result(REQUEST);
    assertThat(r.itemsSucceeded()).isEqualTo(2);
    assertThat(r.failures())
        .containsExactly(ItemResult.of("a", "1008006"), ItemResult.of("d", "1008006"));
    List<Object> retry = new ArrayList<>();
    r.retryFailed().input().forEach(retry::add);
    assertThat(retry).containsExactly("a", "d");
    assertThat(tally.itemsDone()).isEqualTo(4);
    assertThat(tally.callsDone()).isEqualTo(2);
    assertThat(r.calls()).isEqualTo(2);
  }

  @Test
  void sixteenWholeCallFailuresInARowAreAnOutageAndAnAnswerResetsTheCount() {
    BulkTally tally = new BulkTally();
    TpnsException down = new TpnsHttpException("503", 503, true, null);
    for (int i = 0; i < 15; i++) {
      assertThat(tally.failedWhole(chunk(i, "t" + i), down)).isFalse();
    }
    BulkInput.Chunk ok = chunk(15, "t15");
    tally.answered(
        ok,
        BatchOperateResult.of(
            (BatchOperateRequest) ok.call, 0, "", Collections.singletonList("0")));
    for (int i = 16; i < 31; i++) {
      assertThat(tally.failedWhole(chunk(i, "t" + i), down)).isFalse();
    }
    assertThat(tally.failedWhole(chunk(31, "t31"), down)).isTrue();
    BulkResult r = tally.result(REQUEST);
    assertThat(r.callsFailed()).isEqualTo(31);
    assertThat(r.failures()).hasSize(31).allSatisfy(f -> assertThat(f.code()).isNull());
  }

  @Test
  void aWholeCallFailureWithATpnsAnswerGivesItsItemsTheRetCode() {
    BulkTally tally = new BulkTally();
    tally.failedWhole(
        chunk(0, "a", "b"), new TpnsApiException("refused", 1008007, "bad", 200, false, null));
    assertThat(tally.result(REQUEST).failures())
        .extracting(ItemResult::code)
        .containsExactly("1008007", "1008007");
  }

  @Test
  void keepsAHundredErrorsAndCountsEveryOne() {
    BulkTally tally = new BulkTally();
    TpnsException down = new TpnsHttpException("500", 500, true, null);
    for (int i = 0; i < 1_000; i++) {
      tally.failedWhole(chunk(i, "t" + i), down);
      if (i % 10 == 0) {
        BulkInput.Chunk ok = chunk(100_000 + i, "ok" + i);
        tally.answered(
            ok,
            BatchOperateResult.of(
                (BatchOperateRequest) ok.call, 0, "", Collections.singletonList("0")));
      }
    }
    BulkResult r = tally.result(REQUEST);
    assertThat(r.errors()).hasSize(BulkResult.MAX_ERRORS_KEPT);
    assertThat(r.callsFailed()).isEqualTo(1_000);
  }

  @Test
  void unansweredAndUnsentItemsHaveNoCode() {
    BulkTally tally = new BulkTally();
    tally.unanswered(chunk(0, "a"));
    tally.unsent("b", 1);
    assertThat(tally.result(REQUEST).failures())
        .containsExactly(ItemResult.of("a", null), ItemResult.of("b", null));
  }
}
