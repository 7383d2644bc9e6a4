package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountDiff;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reconcile through the API (bulkQuery, AccountDiff, bulkOperate) on 100 000 accounts with 5 % of
 * each kind of drift ({@link DriftScenario}): the dry run finds exactly the drift, applying it
 * converges, a second dry run finds nothing; with writes that TPNS applies later, too.
 */
@org.junit.jupiter.api.Tag("scale") // run once, not again for each OkHttp version
class ReconcileScenarioTest {
  private static final DriftScenario SCENARIO = new DriftScenario(100_000);

  /** A dry run: what would be bound and unbound. */
  static final class Plan {
    final List<TokenAccounts> binds = new ArrayList<>();
    final List<TokenAccounts> unbinds = new ArrayList<>();

    Set<String> keys(List<TokenAccounts> entries) {
      Set<String> s = new LinkedHashSet<>();
      for (TokenAccounts e : entries) {
        s.add(DriftScenario.key(e.token(), e.accounts().get(0)));
      }
      return s;
    }
  }

  static Plan plan(TpnsClient client, Map<Account, List<String>> wanted) {
    Plan plan = new Plan();
    BulkQueryResult<Account, String> r =
        client.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(wanted.keySet()).concurrency(8),
            (account, actual) -> {
              AccountDiff diff = AccountDiff.of(account, wanted.get(account), actual);
              plan.binds.addAll(diff.binds());
              plan.unbinds.addAll(diff.unbinds());
            });
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.keysAnswered()).isEqualTo(wanted.size());
    return plan;
  }

  static void apply(TpnsClient client, Plan plan) {
    BulkResult bound = client.bulkOperate(BulkRequest.overwrite(plan.binds).concurrency(8));
    BulkResult unbound =
        client.bulkOperate(BulkRequest.deleteAccounts(plan.unbinds).concurrency(8));
    assertThat(bound.isAllSuccess()).isTrue();
    assertThat(unbound.isAllSuccess()).isTrue();
  }

  @Test
  void findsExactlyTheDriftAppliesItAndASecondDryRunFindsNothing() {
    try (FakeTpnsServer tpns = FakeTpnsServer.start();
        TpnsClient client = tpns.clientBuilder().build()) {
      SCENARIO.seed(tpns);
      Map<Account, List<String>> wanted = SCENARIO.wanted();
      Plan plan = plan(client, wanted);
      assertThat(plan.keys(plan.binds)).hasSize(10_000).isEqualTo(SCENARIO.expectedBinds());
      assertThat(plan.keys(plan.unbinds)).hasSize(5_000).isEqualTo(SCENARIO.expectedUnbinds());
      apply(client, plan);
      Plan again = plan(client, wanted);
      assertThat(again.binds).isEmpty();
      assertThat(again.unbinds).isEmpty();
      SCENARIO.assertConverged(tpns);
    }
  }

  @Test
  void whenTpnsAppliesWritesLaterADryRunJustAfterSeesTheOldStateAndTheNextConverges() {
    try (FakeTpnsServer tpns = FakeTpnsServer.start();
        TpnsClient client = tpns.clientBuilder().build()) {
      SCENARIO.seed(tpns);
      tpns.setApplyDelay(Duration.ofHours(1));
      Map<Account, List<String>> wanted = SCENARIO.wanted();
      Plan plan = plan(client, wanted);
      apply(client, plan);
      // Run 2, right after: TPNS has not applied the writes, so it plans (and applies) the same
      // changes again, which does no harm: overwrite and delete-one-account are idempotent.
      Plan second = plan(client, wanted);
      assertThat(second.keys(second.binds)).isEqualTo(plan.keys(plan.binds));
      assertThat(second.keys(second.unbinds)).isEqualTo(plan.keys(plan.unbinds));
      apply(client, second);
      tpns.applyPendingWrites(); // the delay passes
      Plan check = plan(client, wanted);
      assertThat(check.binds).isEmpty();
      assertThat(check.unbinds).isEmpty();
      SCENARIO.assertConverged(tpns);
    }
  }

  @Test
  void whenSomeWritesHaveLandedAndOthersNotASecondRunStillConverges() {
    try (FakeTpnsServer tpns = FakeTpnsServer.start();
        TpnsClient client = tpns.clientBuilder().build()) {
      SCENARIO.seed(tpns);
      // Short enough that run 2's queries see some of run 1's writes and not others.
      tpns.setApplyDelay(Duration.ofMillis(20));
      Map<Account, List<String>> wanted = SCENARIO.wanted();
      apply(client, plan(client, wanted));
      Plan second = plan(client, wanted);
      assertThat(second.binds.size()).isLessThanOrEqualTo(10_000);
      apply(client, second);
      tpns.applyPendingWrites();
      Plan check = plan(client, wanted);
      assertThat(check.binds).isEmpty();
      assertThat(check.unbinds).isEmpty();
      SCENARIO.assertConverged(tpns);
    }
  }
}
