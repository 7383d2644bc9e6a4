package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bulkQuery: answers to the handler on the caller's thread, unknown keys, stops and resumption. */
class BulkQueryTest extends MockServerFixture {
  private final StubTpns stub = new StubTpns();

  @BeforeEach
  void start() {
    server.setDispatcher(stub);
    // user-i has tokens t-i-0 .. t-i-(i % 3 - 1): every third user has none and TPNS does not
    // know it (10110008)
    stub.boundTo =
        key -> {
          int i = Integer.parseInt(key.substring(key.indexOf('-') + 1));
          return i % 3 == 0
              ? null
              : IntStream.range(0, i % 3)
                  .mapToObj(j -> "t-" + i + "-" + j)
                  .collect(Collectors.toList());
        };
    client = builder().build();
  }

  @Override
  TpnsClient.Builder builder() {
    return super.builder().secretKey("s").retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  private static List<Account> accounts(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> Account.of("user-" + i, 1005))
        .collect(Collectors.toList());
  }

  private static List<String> expectedTokens(int i) {
    return IntStream.range(0, i % 3).mapToObj(j -> "t-" + i + "-" + j).collect(Collectors.toList());
  }

  @Test
  void handsEveryAccountItsTokensOnTheCallersThreadAndUnknownAccountsAsNoBindings() {
    Map<Account, List<String>> seen = new HashMap<>();
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();
    BulkQueryResult<Account, String> r =
        client.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(accounts(205)).concurrency(4),
            (account, tokens) -> {
              threads.add(Thread.currentThread());
              assertThat(seen.put(account, tokens)).as("answered once").isNull();
            });
    assertThat(threads).hasSize(205).allMatch(t -> t == caller);
    for (int i = 0; i < 205; i++) {
      assertThat(seen.get(Account.of("user-" + i, 1005))).isEqualTo(expectedTokens(i));
    }
    assertThat(r.keysAnswered()).isEqualTo(205);
    assertThat(r.keysWithoutBindings()).isEqualTo(69); // 0, 3, ..., 204
    assertThat(r.bindingsFound()).isEqualTo(seen.values().stream().mapToLong(List::size).sum());
    assertThat(r.calls()).isEqualTo(11);
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.retryFailed().input()).isEmpty();
    assertThat(stub.calls).allMatch(c -> c.size() <= 20);
  }

  @Test
  void noCallStartsWhileTheHandlerRuns() throws Exception {
    // concurrency 2: A1 and A2 on the wire, B1 and B2 ready. A1 answers at once, and its worker
    // takes B1; A2 answers 100 ms later, while the caller's code still runs for A1: A2's worker may
    // not take B2 until it returns
    java.util.concurrent.CountDownLatch b2Sent = stub.slowExceptTheCallOf("user-0", 100, "user-60");
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    boolean[] sentWhileHandling = new boolean[1];
    BulkQueryResult<Account, String> r =
        client.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(accounts(100)).concurrency(2),
            (account, tokens) -> {
              if (seen.incrementAndGet() == 1) {
                sentWhileHandling[0] =
                    b2Sent.await(400, java.util.concurrent.TimeUnit.MILLISECONDS);
              }
            });
    assertThat(r.keysAnswered()).isEqualTo(100);
    assertThat(sentWhileHandling[0]).isFalse();
    assertThat(b2Sent.getCount()).isZero(); // sent once the handler returned
  }

  @Test
  void asksForTheAccountsOfTokens() {
    stub.boundTo = token -> token.equals("gone") ? null : Arrays.asList("owner-of-" + token);
    Map<String, List<Account>> seen = new HashMap<>();
    BulkQueryResult<String, Account> r =
        client.bulkQuery(
            BulkQueryRequest.accountsOfTokens(Arrays.asList("a", "gone", "b")), seen::put);
    assertThat(seen)
        .containsEntry("a", Collections.singletonList(Account.of("owner-of-a", 0)))
        .containsEntry("gone", Collections.emptyList())
        .containsEntry("b", Collections.singletonList(Account.of("owner-of-b", 0)));
    assertThat(r.keysWithoutBindings()).isEqualTo(1);
  }

  @Test
  void aWholeCallAnsweredNotFoundIsAskedAgainKeyByKeyAndNothingIsGuessed() {
    // TPNS answers a whole-call 10110008 when a call holds a key it does not know (user-0, 3, ...)
    String notFound = "{\"retCode\":10110008,\"errMsg\":\"not exist\"}";
    stub.callAnswer =
        keys ->
            keys.stream().anyMatch(k -> Integer.parseInt(k.substring(5)) % 3 == 0)
                ? new MockResponse().setBody(notFound)
                : null;
    Map<Account, List<String>> answered = new HashMap<>();
    BulkQueryResult<Account, String> r =
        client.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(accounts(25)),
            (account, tokens) -> assertThat(answered.put(account, tokens)).isNull());
    assertThat(answered).hasSize(25);
    for (int i = 0; i < 25; i++) {
      // the known accounts get their tokens, not "no bindings" guessed from their call's code
      assertThat(answered.get(Account.of("user-" + i, 1005))).isEqualTo(expectedTokens(i));
    }
    assertThat(r.keysWithoutBindings()).isEqualTo(9); // 0, 3, ..., 24
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.calls()).isEqualTo(2 + 25); // each key of the two calls asked alone
  }

  @Test
  void aKeyTheAnswerDoesNotMentionIsAskedAgainAloneThenIsAFailureOfItsOwn() {
    // user-5 is never in the answer's account_tokens, though the call's result says "0"
    stub.callAnswer =
        keys -> {
          StringBuilder result = new StringBuilder();
          StringBuilder entries = new StringBuilder();
          for (String k : keys) {
            result.append(result.length() == 0 ? "\"0\"" : ",\"0\"");
            if (!k.equals("user-5") && !(k.equals("user-6") && keys.size() > 1)) {
              entries
                  .append(entries.length() == 0 ? "" : ",")
                  .append("{\"account\":\"" + k + "\",\"token_list\":[\"t-" + k + "\"]}");
            }
          }
          return new MockResponse()
              .setBody(
                  "{\"retCode\":0,\"result\":["
                      + result
                      + "],\"account_tokens\":["
                      + entries
                      + "]}");
        };
    Map<Account, List<String>> answered = new HashMap<>();
    BulkQueryRequest<Account, String> request = BulkQueryRequest.tokensOfAccounts(accounts(10));
    BulkQueryResult<Account, String> r =
        client.bulkQuery(request, (a, t) -> assertThat(answered.put(a, t)).isNull());
    assertThat(answered).hasSize(9).doesNotContainKey(Account.of("user-5", 1005));
    // user-6 was left out of the first answer only: asked alone, it was answered
    assertThat(answered.get(Account.of("user-6", 1005))).containsExactly("t-user-6");
    assertThat(r.failures())
        .containsExactly(ItemResult.of(Account.of("user-5", 1005), ItemResult.NOT_IN_ANSWER));
    assertThat(r.retryFailed().input()).containsExactly(Account.of("user-5", 1005));
    assertThat(r.keysAnswered()).isEqualTo(9);
    assertThat(r.calls()).isEqualTo(3);
  }

  @Test
  void anAnswerWithoutAccountTypeIsTypeZero() {
    stub.callAnswer =
        keys ->
            new MockResponse()
                .setBody(
                    "{\"retCode\":0,\"errMsg\":\"ok\",\"result\":[\"0\"],\"token_accounts\":"
                        + "[{\"token\":\"tok\",\"account_list\":[{\"account\":\"926@126.com\"}]}]}");
    Map<String, List<Account>> answered = new HashMap<>();
    client.bulkQuery(
        BulkQueryRequest.accountsOfTokens(Collections.singletonList("tok")), answered::put);
    assertThat(answered.get("tok")).containsExactly(Account.of("926@126.com", 0));
  }

  @Test
  void keysWithAnotherCodeAreFailuresThatRetryFailedAsksForAgain() {
    stub.codeFor = key -> key.equals("user-7") || key.equals("user-31") ? "1008007" : null;
    List<Account> answered = new ArrayList<>();
    BulkQueryRequest<Account, String> request = BulkQueryRequest.tokensOfAccounts(accounts(40));
    BulkQueryResult<Account, String> r = client.bulkQuery(request, (a, t) -> answered.add(a));
    assertThat(r.keysAnswered()).isEqualTo(38).isEqualTo(answered.size());
    assertThat(r.failures())
        .containsExactly(
            ItemResult.of(Account.of("user-7", 1005), "1008007"),
            ItemResult.of(Account.of("user-31", 1005), "1008007"));
    stub.codeFor = key -> null;
    List<Account> again = new ArrayList<>();
    BulkQueryResult<Account, String> second =
        client.bulkQuery(r.retryFailed(), (a, t) -> again.add(a));
    assertThat(again).containsExactly(Account.of("user-7", 1005), Account.of("user-31", 1005));
    assertThat(second.isAllSuccess()).isTrue();
  }

  @Test
  void aHandlerThatThrowsStopsTheRunAndResumingAnswersEveryKeyExactlyOnce() {
    List<Account> input = accounts(500);
    BulkQueryRequest<Account, String> request =
        BulkQueryRequest.tokensOfAccounts(input).concurrency(4);
    Map<Account, Integer> handled = new HashMap<>();
    IOException disk = new IOException("disk full");
    TpnsBulkQueryStoppedException stop =
        catchThrowableOfType(
            () ->
                client.bulkQuery(
                    request,
                    (account, tokens) -> {
                      if (account.account().equals("user-250")) {
                        throw disk;
                      }
                      handled.merge(account, 1, Integer::sum);
                    }),
            TpnsBulkQueryStoppedException.class);
    assertThat(stop).isNotNull();
    assertThat(stop.getCause()).isSameAs(disk);
    assertThat(stop.getMessage()).contains("partialResult(request).retryFailed()");
    BulkQueryResult<Account, String> partial = stop.partialResult(request);
    assertThat(partial.failures()).extracting(ItemResult::account).isNotEmpty();
    assertThat(partial.failures().stream().map(f -> f.account().get()))
        .contains(Account.of("user-250", 1005));
    assertThat(partial.keysAnswered()).isEqualTo(handled.size());
    // every key before inputIndex was handled or is a failure; none twice
    long index = stop.inputIndex();
    assertThat(partial.keysAnswered() + partial.failures().size()).isEqualTo(index);
    // a sibling of the bulkOperate stop under their common base: no inherited method that throws
    assertThat(stop).isInstanceOf(TpnsBulkRunStoppedException.class);
    assertThat((Throwable) stop).isNotInstanceOf(TpnsBulkStoppedException.class);
    assertThat(((TpnsBulkRunStoppedException) stop).inputIndex()).isEqualTo(stop.inputIndex());
    // any request of the same kind will do (a copy made with withKeys, a request made anew)
    BulkQueryResult<Account, String> viaCopy =
        stop.partialResult(BulkQueryRequest.tokensOfAccounts(input).concurrency(2));
    assertThat(viaCopy.failures()).isEqualTo(partial.failures());
    assertThat(viaCopy.keysAnswered()).isEqualTo(partial.keysAnswered());
    assertThat(viaCopy.retryFailed().input())
        .containsExactlyElementsOf(partial.retryFailed().input());
    assertThat(viaCopy.retryFailed().maxCallsInFlight()).isEqualTo(2);
    assertThatThrownBy(() -> stop.partialResult(BulkQueryRequest.accountsOfTokens(List.of("t"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokensOfAccounts");

    BulkQueryResult<Account, String> retried =
        client.bulkQuery(partial.retryFailed(), (a, t) -> handled.merge(a, 1, Integer::sum));
    BulkQueryResult<Account, String> rest =
        client.bulkQuery(
            request.withKeys(input.subList((int) index, input.size())),
            (a, t) -> handled.merge(a, 1, Integer::sum));
    assertThat(retried.isAllSuccess()).isTrue();
    assertThat(rest.isAllSuccess()).isTrue();
    assertThat(handled).hasSize(500);
    assertThat(handled.values()).containsOnly(1);
  }

  @Test
  void anOutageStopsTheRunResumably() {
    stub.callAnswer =
        keys ->
            keys.contains("user-100") || Integer.parseInt(keys.get(0).substring(5)) > 100
                ? new MockResponse().setResponseCode(503).setBody("down")
                : null;
    client = builder().maxRetries(0).build();
    List<Account> input = accounts(2000);
    BulkQueryRequest<Account, String> request =
        BulkQueryRequest.tokensOfAccounts(input).concurrency(2);
    List<Account> handled = new ArrayList<>();
    TpnsBulkQueryStoppedException stop =
        catchThrowableOfType(
            () -> client.bulkQuery(request, (a, t) -> handled.add(a)),
            TpnsBulkQueryStoppedException.class);
    assertThat(stop.getCause()).isInstanceOf(TpnsHttpException.class);
    BulkQueryResult<Account, String> partial = stop.partialResult(request);
    assertThat(partial.callsFailed()).isGreaterThanOrEqualTo(16);
    assertThat(partial.failures()).allMatch(f -> f.code() == null);
    assertThat(handled.size() + partial.failures().size()).isEqualTo(stop.inputIndex());
    assertThat(handled).doesNotContain(Account.of("user-100", 1005));
  }

  @Test
  void slowsDownWhenRateLimitedAndStillAnswersEveryKey() {
    java.util.concurrent.atomic.AtomicInteger limited =
        new java.util.concurrent.atomic.AtomicInteger();
    stub.callAnswer =
        keys ->
            limited.getAndIncrement() < 3
                ? new MockResponse().setBody("{\"retCode\":1008028,\"errMsg\":\"too fast\"}")
                : null;
    List<Account> handled = new ArrayList<>();
    BulkQueryResult<Account, String> r =
        client.bulkQuery(
            BulkQueryRequest.tokensOfAccounts(accounts(100)).concurrency(4),
            (a, t) -> handled.add(a));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(handled).containsExactlyInAnyOrderElementsOf(accounts(100));
    assertThat(r.calls()).isEqualTo(5);
  }

  @Test
  void anItemOfTheWrongTypeOrANullStopsTheRunAtIt() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Account> bad = (List) Arrays.asList(Account.of("a"), "not an account", Account.of("b"));
    TpnsBulkQueryStoppedException stop =
        catchThrowableOfType(
            () -> client.bulkQuery(BulkQueryRequest.tokensOfAccounts(bad), (a, t) -> {}),
            TpnsBulkQueryStoppedException.class);
    assertThat(stop.inputIndex()).isEqualTo(1);
    assertThat(stop.getCause())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("index 1");
    assertThat(stub.calls).isEmpty();
    assertThatThrownBy(() -> client.bulkQuery(null, (a, t) -> {}))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> client.bulkQuery(BulkQueryRequest.tokensOfAccounts(accounts(1)), null))
        .isInstanceOf(TpnsValidationException.class);
  }

  @Test
  void anAccountNameTwiceGoesInTwoCalls() {
    List<Account> twice = Arrays.asList(Account.of("user-1", 1), Account.of("user-1", 2));
    List<Account> handled = new ArrayList<>();
    BulkQueryResult<Account, String> r =
        client.bulkQuery(BulkQueryRequest.tokensOfAccounts(twice), (a, t) -> handled.add(a));
    assertThat(handled).containsExactlyInAnyOrderElementsOf(twice);
    assertThat(r.calls()).isEqualTo(2);
  }

  @Test
  void closingTheClientMidRunStopsItAndANewClientResumesEveryKeyExactlyOnce() {
    List<Account> input = accounts(1_000);
    BulkQueryRequest<Account, String> request =
        BulkQueryRequest.tokensOfAccounts(input).concurrency(4);
    Map<Account, Integer> handled = new HashMap<>();
    TpnsBulkQueryStoppedException stop =
        catchThrowableOfType(
            () ->
                client.bulkQuery(
                    request,
                    (account, tokens) -> {
                      if (handled.merge(account, 1, Integer::sum) == 1 && handled.size() == 300) {
                        client.close(); // calls on the wire still answer, and are handed over
                      }
                    }),
            TpnsBulkQueryStoppedException.class);
    assertThat(stop).isNotNull();
    assertThat(stop.getCause()).isInstanceOf(TpnsClientClosedException.class);
    BulkQueryResult<Account, String> partial = stop.partialResult(request);
    assertThat(partial.keysAnswered()).isEqualTo(handled.size());
    assertThat(partial.keysAnswered() + partial.failures().size()).isEqualTo(stop.inputIndex());
    client = builder().build();
    client.bulkQuery(partial.retryFailed(), (a, t) -> handled.merge(a, 1, Integer::sum));
    client.bulkQuery(
        request.withKeys(input.subList((int) stop.inputIndex(), input.size())),
        (a, t) -> handled.merge(a, 1, Integer::sum));
    assertThat(handled).hasSize(1_000);
    assertThat(handled.values()).containsOnly(1);
  }
}
