package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tpns4j-core against the fake: queries, bulk runs and concurrency, end to end. */
class EndToEndTest {
  private FakeTpnsServer tpns;
  private TpnsClient client;
  // a timeout under load is retried: the fake then counts one request more (see AttemptCounter)
  private final AttemptCounter attempts = new AttemptCounter();

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
    client =
        tpns.clientBuilder()
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .eventListener(attempts)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    tpns.close();
  }

  private static List<TokenAccounts> users(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> TokenAccounts.of("token-" + i, Account.of("user-" + i, 1005)))
        .collect(Collectors.toList());
  }

  @Test
  void queriesWhatWasBound() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("alice"), Account.of("+8613711112222", 1002)),
            TokenAccounts.of("t2", Account.of("alice"))));
    AccountQueryResult byAccount =
        client.queryAccounts(
            AccountQueryRequest.tokensOfAccounts(Account.of("alice"), Account.of("bob")));
    assertThat(byAccount.tokensByAccount().get("alice")).containsExactly("t1", "t2");
    assertThat(byAccount.items())
        .containsExactly(ItemResult.of("alice", "0"), ItemResult.of("bob", "10110008"));
    AccountQueryResult byToken = client.queryAccounts(AccountQueryRequest.accountsOfTokens("t1"));
    assertThat(byToken.accountsByToken().get("t1"))
        .containsExactly(Account.of("alice", 0), Account.of("+8613711112222", 1002));
  }

  @Test
  void bulkRunsOverlapUpToTheirConcurrencyAndNeverBeyond() {
    tpns.setLatency(Duration.ofMillis(30));
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(users(2_000)).concurrency(8));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(2_000);
    assertThat(r.calls()).isEqualTo(100);
    assertThat(tpns.peakConcurrentRequests()).isEqualTo(8);
    assertThat(tpns.accountsOf("token-1999")).containsExactly(Account.of("user-1999", 1005));
  }

  @Test
  void bulkDeletesUndoBulkBinds() {
    client.bulkOperate(BulkRequest.overwrite(users(100)));
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForAccounts(
                IntStream.range(0, 100)
                    .mapToObj(i -> Account.of("user-" + i, 1005))
                    .collect(Collectors.toList())));
    assertThat(r.itemsSucceeded()).isEqualTo(100);
    assertThat(tpns.accountsOf("token-5")).isEmpty();
    client.bulkOperate(BulkRequest.overwrite(users(10)));
    client.bulkOperate(BulkRequest.deleteAllForTokens(Arrays.asList("token-1", "token-2")));
    client.bulkOperate(
        BulkRequest.deleteAccounts(
            Arrays.asList(TokenAccounts.of("token-3", Account.of("user-3", 1005)))));
    assertThat(tpns.accountsOf("token-1")).isEmpty();
    assertThat(tpns.accountsOf("token-3")).isEmpty();
    assertThat(tpns.accountsOf("token-4")).isNotEmpty();
  }

  @Test
  void retriesOnlyWhatFailed() {
    tpns.setRequireRegisteredTokens(true);
    IntStream.range(0, 50).filter(i -> i % 10 != 3).forEach(i -> tpns.registerToken("token-" + i));
    BulkResult first = client.bulkOperate(BulkRequest.overwrite(users(50)));
    assertThat(first.itemsSucceeded()).isEqualTo(45);
    assertThat(first.failures())
        .extracting(ItemResult::key)
        .containsExactly("token-3", "token-13", "token-23", "token-33", "token-43");
    assertThat(first.failures()).extracting(ItemResult::code).containsOnly("1008006");

    IntStream.range(0, 50).forEach(i -> tpns.registerToken("token-" + i));
    int before = tpns.requestCount();
    int noAnswerBefore = attempts.noAnswer();
    BulkResult second = client.bulkOperate(first.retryFailed());
    assertThat(second.isAllSuccess()).isTrue();
    assertThat(second.itemsSucceeded()).isEqualTo(5);
    attempts.assertSeen(tpns.requestCount() - before, 1, noAnswerBefore);
    assertThat(tpns.accountsOf("token-43")).containsExactly(Account.of("user-43", 1005));
  }

  @Test
  void bulkRunsGetThroughInjectedRateLimitsAndOutages() {
    tpns.enqueueFailure(FakeFailure.retCode(1008028, "too fast").retryAfter(Duration.ZERO));
    tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
    tpns.enqueueFailure(FakeFailure.disconnect());
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(users(200)));
    assertThat(r.isAllSuccess()).isTrue();
    attempts.assertSeen(tpns.requestCount(), 13, 1); // the dropped connection gets no answer
  }

  @Test
  void manyThreadsShareOneClientAndOneFake() {
    List<CompletableFuture<Void>> all =
        IntStream.range(0, 16)
            .mapToObj(
                t ->
                    CompletableFuture.runAsync(
                        () -> {
                          for (int i = 0; i < 10; i++) {
                            client.batchOperate(
                                BatchOperateRequest.overwrite(
                                    TokenAccounts.of("t" + t + "-" + i, Account.of("u" + t))));
                          }
                        }))
            .collect(Collectors.toList());
    all.forEach(CompletableFuture::join);
    assertThat(tpns.tokensOf(Account.of("u7"))).hasSize(10);
    attempts.assertSeen(tpns.requestCount(), 160, 0);
  }
}
