package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tpns4j.AuthMode;
import io.github.tpns4j.TpnsApiException;
import io.github.tpns4j.TpnsAuthenticationException;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsHttpException;
import io.github.tpns4j.TpnsRateLimitException;
import io.github.tpns4j.TpnsTransportException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeTpnsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient RAW =
      new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  private FakeTpnsServer tpns;
  private TpnsClient client;

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
    client = clientFor(tpns).build();
  }

  @AfterEach
  void stop() {
    client.close();
    tpns.close();
  }

  private static TpnsClient.Builder clientFor(FakeTpnsServer fake) {
    return fake.clientBuilder().retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  /**
   * Sends a body as-is, signed for the fake (or with the given headers), and reads the JSON answer.
   */
  private JsonNode raw(String path, String body, String accessId, String secret, long timestamp)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(timestamp);
    Request request =
        new Request.Builder()
            .url(tpns.baseUrl() + path.substring(1))
            .post(RequestBody.create(bytes, MediaType.get("application/json")))
            .header("AccessId", accessId)
            .header("TimeStamp", ts)
            .header("Sign", FakeTpnsServer.sign(secret, ts, accessId, bytes))
            .build();
    try (Response r = RAW.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return JSON.readTree(r.body().string());
    }
  }

  private JsonNode batch(String body) throws IOException {
    return raw(FakeTpnsServer.BATCH_PATH, body, tpns.accessId(), tpns.secretKey(), now());
  }

  private static BatchOperateResult del(TpnsClient c) {
    return c.batchOperate(BatchOperateRequest.deleteAllForTokens("t"));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  // ---- state

  @Test
  void overwriteBindsAndReplacesTheAccountOfTheSameType() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("alice"), Account.of("+86137", 1002))));
    assertThat(tpns.accountsOf("t1"))
        .containsExactly(Account.of("alice", 0), Account.of("+86137", 1002));
    assertThat(tpns.tokensOf(Account.of("alice"))).containsExactly("t1");
    assertThat(tpns.tokensOf(Account.of("alice", 0))).containsExactly("t1");

    client.batchOperate(
        BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("bob", 0))));
    assertThat(tpns.accountsOf("t1"))
        .containsExactly(Account.of("bob", 0), Account.of("+86137", 1002));
    assertThat(tpns.tokensOf(Account.of("alice"))).isEmpty();
  }

  @Test
  void theLaterOfTwoAccountsOfOneTypeInOneCallWins() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("a", 5), Account.of("b", 5))));
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("b", 5));
    assertThat(tpns.tokensOf(Account.of("a", 5))).isEmpty();
  }

  @Test
  @SuppressWarnings("deprecation")
  void appendRunsAsOverwrite() {
    client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a"))));
    client.batchOperate(BatchOperateRequest.append(TokenAccounts.of("t1", Account.of("b"))));
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("b", 0));
  }

  @Test
  void deleteAccountsRemovesOnlyTheListedOnes() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("a"), Account.of("m", 1002))));
    BatchOperateResult r =
        client.batchOperate(
            BatchOperateRequest.deleteAccounts(
                TokenAccounts.of("t1", Account.of("a", 0), Account.of("zz"))));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("m", 1002));
    // the same name with another type is another account
    client.batchOperate(
        BatchOperateRequest.deleteAccounts(TokenAccounts.of("t1", Account.of("m"))));
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("m", 1002));
  }

  @Test
  void deleteAllForTokensEmptiesTheTokens() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("a"), Account.of("b", 1)),
            TokenAccounts.of("t2", Account.of("a"))));
    client.batchOperate(BatchOperateRequest.deleteAllForTokens("t1", "unknown"));
    assertThat(tpns.accountsOf("t1")).isEmpty();
    assertThat(tpns.tokensOf(Account.of("a"))).containsExactly("t2");
    assertThat(tpns.tokensOf(Account.of("b", 1))).isEmpty();
  }

  @Test
  void deleteAllForAccountsRemovesTheAccountOfThatTypeEverywhere() {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("a"), Account.of("a", 3)),
            TokenAccounts.of("t2", Account.of("a"))));
    BatchOperateResult r =
        client.batchOperate(BatchOperateRequest.deleteAllForAccounts(Account.of("a")));
    assertThat(r.items()).containsExactly(ItemResult.of(Account.of("a"), "0"));
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("a", 3));
    assertThat(tpns.accountsOf("t2")).isEmpty();
    client.batchOperate(BatchOperateRequest.deleteAllForAccounts(Account.of("a", 3)));
    assertThat(tpns.accountsOf("t1")).isEmpty();
  }

  @Test
  void refusesTheHundredAndFirstTokenOfAnAccount() {
    for (int chunk = 0; chunk < 5; chunk++) {
      int base = chunk * 20;
      client.batchOperate(
          BatchOperateRequest.overwrite(
              IntStream.range(base, base + 20)
                  .mapToObj(i -> TokenAccounts.of("t" + i, Account.of("popular")))
                  .collect(Collectors.toList())));
    }
    assertThat(tpns.tokensOf(Account.of("popular"))).hasSize(100);
    BatchOperateResult r =
        client.batchOperate(
            BatchOperateRequest.overwrite(
                TokenAccounts.of("t100", Account.of("popular")),
                TokenAccounts.of("t0", Account.of("popular"))));
    assertThat(r.retCode()).isEqualTo(1008026);
    assertThat(r.items())
        .containsExactly(ItemResult.of("t100", "1008007"), ItemResult.of("t0", "0"));
    assertThat(tpns.accountsOf("t100")).isEmpty();
  }

  @Test
  void refusesUnregisteredTokensWhenAsked() {
    tpns.setRequireRegisteredTokens(true);
    tpns.registerToken("known");
    BatchOperateResult some =
        client.batchOperate(
            BatchOperateRequest.overwrite(
                TokenAccounts.of("known", Account.of("a")),
                TokenAccounts.of("stranger", Account.of("a"))));
    assertThat(some.retCode()).isEqualTo(1008026);
    assertThat(some.failures()).containsExactly(ItemResult.of("stranger", "1008006"));
    assertThat(tpns.accountsOf("known")).containsExactly(Account.of("a", 0));
    assertThat(tpns.accountsOf("stranger")).isEmpty();

    BatchOperateResult all = client.batchOperate(BatchOperateRequest.deleteAllForTokens("x", "y"));
    assertThat(all.retCode()).isEqualTo(1008027);
    assertThat(all.failures()).extracting(ItemResult::code).containsExactly("1008006", "1008006");
    tpns.setRequireRegisteredTokens(false);
    assertThat(client.batchOperate(BatchOperateRequest.deleteAllForTokens("x")).retCode()).isZero();
  }

  @Test
  void answersOneCodePerItemInTheDocumentedShape() throws IOException {
    JsonNode answer = batch("{\"operator_type\":4,\"token_list\":[\"a\",\"b\",\"c\"]}");
    assertThat(answer.toString())
        .isEqualTo("{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[\"0\",\"0\",\"0\"]}");
  }

  // ---- authentication

  @Test
  void acceptsBasicAuth() {
    try (TpnsClient basic = clientFor(tpns).authMode(AuthMode.BASIC).build()) {
      basic.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a"))));
    }
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("a", 0));
  }

  @Test
  void refusesWrongCredentials() throws IOException {
    try (TpnsClient wrongSecret =
        TpnsClient.builder()
            .accessId(tpns.accessId())
            .secretKey("nope")
            .baseUrl(tpns.baseUrl())
            .build()) {
      TpnsAuthenticationException e =
          catchThrowableOfType(TpnsAuthenticationException.class, () -> del(wrongSecret));
      assertThat(e.retCode()).isEqualTo(1008003);
    }
    try (TpnsClient wrongId =
        TpnsClient.builder()
            .accessId("1599999999")
            .secretKey(tpns.secretKey())
            .baseUrl(tpns.baseUrl())
            .build()) {
      assertThat(
              catchThrowableOfType(TpnsAuthenticationException.class, () -> del(wrongId)).retCode())
          .isEqualTo(10030002);
    }
    try (TpnsClient basicWrong =
        TpnsClient.builder()
            .accessId(tpns.accessId())
            .secretKey("nope")
            .authMode(AuthMode.BASIC)
            .baseUrl(tpns.baseUrl())
            .build()) {
      assertThat(
              catchThrowableOfType(TpnsAuthenticationException.class, () -> del(basicWrong))
                  .retCode())
          .isEqualTo(1008003);
    }
    assertThat(batchSignedAt(now() - 601).get("ret_code").asInt()).isEqualTo(1008003);
    assertThat(batchSignedAt(now() + 601).get("ret_code").asInt()).isEqualTo(1008003);
    assertThat(batchSignedAt(now() - 590).get("ret_code").asInt()).isZero();
  }

  private JsonNode batchSignedAt(long timestamp) throws IOException {
    return raw(
        FakeTpnsServer.BATCH_PATH,
        "{\"operator_type\":4,\"token_list\":[\"a\"]}",
        tpns.accessId(),
        tpns.secretKey(),
        timestamp);
  }

  @Test
  void refusesUnsignedRequests() throws IOException {
    Request request =
        new Request.Builder()
            .url(tpns.baseUrl() + "v3/device/account/batchoperate")
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    try (Response r = RAW.newCall(request).execute()) {
      assertThat(JSON.readTree(r.body().string()).get("ret_code").asInt()).isEqualTo(1008003);
    }
    Request bearer = request.newBuilder().header("Authorization", "Bearer x").build();
    try (Response r = RAW.newCall(bearer).execute()) {
      assertThat(JSON.readTree(r.body().string()).get("ret_code").asInt()).isEqualTo(1008003);
    }
    String basicOtherId =
        "Basic " + Base64.getEncoder().encodeToString("1:x".getBytes(StandardCharsets.UTF_8));
    try (Response r =
        RAW.newCall(request.newBuilder().header("Authorization", basicOtherId).build()).execute()) {
      assertThat(JSON.readTree(r.body().string()).get("ret_code").asInt()).isEqualTo(10030002);
    }
  }

  // ---- strict parsing

  @Test
  void answersParseErrorsWith1008001() throws IOException {
    assertThat(batch("{not json").get("ret_code").asInt()).isEqualTo(1008001);
    assertThat(batch("[1]").get("ret_code").asInt()).isEqualTo(1008001);
    assertThat(batch("").get("ret_code").asInt()).isEqualTo(1008001);
  }

  @Test
  void answersMissingFieldsWith1008002() throws IOException {
    assertThat(batch("{}").get("ret_code").asInt()).isEqualTo(1008002);
    assertThat(batch("{\"operator_type\":2}").get("ret_code").asInt()).isEqualTo(1008002);
    assertThat(batch("{\"operator_type\":4,\"token_accounts\":[]}").get("ret_code").asInt())
        .isEqualTo(1008002);
    assertThat(batch("{\"operator_type\":5}").get("ret_code").asInt()).isEqualTo(1008002);
    assertThat(
            batch("{\"operator_type\":2,\"token_accounts\":[{\"token\":\"t\"}]}")
                .get("ret_code")
                .asInt())
        .isEqualTo(1008002);
    assertThat(
            batch(
                    "{\"operator_type\":2,\"token_accounts\":[{\"account_list\":[{\"account\":\"a\"}]}]}")
                .get("ret_code")
                .asInt())
        .isEqualTo(1008002);
  }

  @Test
  void answersInvalidValuesWith1008007() throws IOException {
    String tooMany =
        IntStream.range(0, 21).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
    String[] bodies = {
      "{\"operator_type\":6,\"token_list\":[\"a\"]}",
      "{\"operator_type\":\"4\",\"token_list\":[\"a\"]}",
      "{\"operator_type\":4,\"token_list\":[" + tooMany + "]}",
      "{\"operator_type\":4,\"token_list\":[]}",
      "{\"operator_type\":4,\"token_list\":[\" \"]}",
      "{\"operator_type\":4,\"token_list\":\"a\"}",
      "{\"operator_type\":5,\"account_list\":[{\"account\":\"a\",\"account_type\":-1}]}",
      "{\"operator_type\":5,\"account_list\":[{\"account\":\"\"}]}",
      "{\"operator_type\":2,\"token_accounts\":[{\"token\":\"t\",\"account_list\":[]}]}",
      "{\"operator_type\":2,\"token_accounts\":[{\"token\":\"\",\"account_list\":[{\"account\":\"a\"}]}]}",
    };
    for (String body : bodies) {
      JsonNode answer = batch(body);
      assertThat(answer.get("ret_code").asInt()).as(body).isEqualTo(1008007);
      assertThat(answer.get("err_msg").asText()).as(body).isNotBlank();
    }
    String manyAccounts =
        IntStream.range(0, 21)
            .mapToObj(i -> "{\"account\":\"a" + i + "\"}")
            .collect(Collectors.joining(","));
    assertThat(
            batch("{\"operator_type\":5,\"account_list\":[" + manyAccounts + "]}")
                .get("ret_code")
                .asInt())
        .isEqualTo(1008007);
    assertThat(tpns.requestCount()).isEqualTo(bodies.length + 1);
  }

  @Test
  void answers404ElsewhereAnd405ForOtherMethods() throws IOException {
    try (Response r =
        RAW.newCall(new Request.Builder().url(tpns.baseUrl() + "v3/push/app").build()).execute()) {
      assertThat(r.code()).isEqualTo(404);
    }
    try (Response r =
        RAW.newCall(new Request.Builder().url(tpns.baseUrl() + "v3/device/account/query").build())
            .execute()) {
      assertThat(r.code()).isEqualTo(405);
    }
    assertThat(tpns.requestCount()).isEqualTo(2);
  }

  // ---- query

  @Test
  void answersQueriesInTheDocumentedCamelCaseShape() throws IOException {
    client.batchOperate(
        BatchOperateRequest.overwrite(
            TokenAccounts.of("t1", Account.of("a"), Account.of("m", 1002)),
            TokenAccounts.of("t2", Account.of("a"))));
    JsonNode byAccount =
        raw(
            FakeTpnsServer.QUERY_PATH,
            "{\"operator_type\":1,\"account_list\":[{\"account\":\"a\"},{\"account\":\"nobody\",\"account_type\":1}]}",
            tpns.accessId(),
            tpns.secretKey(),
            now());
    assertThat(byAccount.toString())
        .isEqualTo(
            "{\"retCode\":0,\"errMsg\":\"ok\",\"result\":[\"0\",\"10110008\"],"
                + "\"account_tokens\":[{\"account\":\"a\",\"account_type\":0,\"token_list\":[\"t1\",\"t2\"]},"
                + "{\"account\":\"nobody\",\"account_type\":1,\"token_list\":[]}]}");
    JsonNode byToken =
        raw(
            FakeTpnsServer.QUERY_PATH,
            "{\"operator_type\":2,\"token_list\":[\"t1\",\"t9\"]}",
            tpns.accessId(),
            tpns.secretKey(),
            now());
    assertThat(byToken.toString())
        .isEqualTo(
            "{\"retCode\":0,\"errMsg\":\"ok\",\"result\":[\"0\",\"10110008\"],"
                + "\"token_accounts\":[{\"token\":\"t1\",\"account_list\":[{\"account\":\"a\",\"account_type\":0},"
                + "{\"account\":\"m\",\"account_type\":1002}]},{\"token\":\"t9\",\"account_list\":[]}]}");
    JsonNode bad =
        raw(
            FakeTpnsServer.QUERY_PATH,
            "{\"operator_type\":3}",
            tpns.accessId(),
            tpns.secretKey(),
            now());
    assertThat(bad.get("retCode").asInt()).isEqualTo(1008007);
    assertThat(bad.has("ret_code")).isFalse();
  }

  // ---- faults

  @Test
  void servesQueuedFailuresInOrder() {
    tpns.enqueueFailure(FakeFailure.retCode(1008007, "bad"));
    tpns.enqueueFailure(FakeFailure.httpStatus(418, "teapot"));
    try (TpnsClient once = clientFor(tpns).maxRetries(0).build()) {
      TpnsApiException api = catchThrowableOfType(TpnsApiException.class, () -> del(once));
      assertThat(api.retCode()).isEqualTo(1008007);
      assertThat(api.errMsg()).isEqualTo("bad");
      TpnsHttpException http = catchThrowableOfType(TpnsHttpException.class, () -> del(once));
      assertThat(http.httpStatus()).isEqualTo(418);
      assertThat(http.getMessage()).contains("teapot");
      assertThat(del(once).isAllSuccess()).isTrue();
    }
    assertThat(tpns.requestCount()).isEqualTo(3);
  }

  @Test
  void failuresCarryRetryAfterAndTheClientRetriesThroughThem() {
    tpns.enqueueFailure(
        FakeFailure.retCode(1008028, "too fast").retryAfter(Duration.ofSeconds(61)));
    TpnsRateLimitException e =
        catchThrowableOfType(TpnsRateLimitException.class, () -> del(client));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(61));
    tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy").retryAfter(Duration.ZERO));
    tpns.enqueueFailure(FakeFailure.disconnect());
    assertThat(del(client).isAllSuccess()).isTrue();
    assertThat(tpns.requestCount()).isEqualTo(4);
  }

  @Test
  void disconnectDropsTheConnection() {
    tpns.enqueueFailure(FakeFailure.disconnect());
    try (TpnsClient once = clientFor(tpns).maxRetries(0).build()) {
      assertThatThrownBy(() -> del(once)).isInstanceOf(TpnsTransportException.class);
    }
  }

  @Test
  void failureValuesValidateAndDescribeThemselves() {
    assertThat(FakeFailure.retCode(1, "x"))
        .isEqualTo(FakeFailure.retCode(1, "x"))
        .hasSameHashCodeAs(FakeFailure.retCode(1, "x"));
    assertThat(
            FakeFailure.httpStatus(503, null)
                .retryAfter(Duration.ofMillis(1500))
                .retryAfterHeader())
        .isEqualTo("2");
    assertThat(FakeFailure.disconnect().toString()).isEqualTo("FakeFailure{disconnect}");
    assertThatThrownBy(() -> FakeFailure.httpStatus(99, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeFailure.disconnect().retryAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tpns.setLatency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latencyDelaysEveryAnswer() {
    tpns.setLatency(Duration.ofMillis(300));
    long start = System.nanoTime();
    del(client);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  // ---- lifecycle

  @Test
  void startsWithGivenCredentialsAndClosesItsPort() throws IOException {
    FakeTpnsServer fake = FakeTpnsServer.start("1500001048", "secret");
    assertThat(fake.accessId()).isEqualTo("1500001048");
    assertThat(fake.secretKey()).isEqualTo("secret");
    assertThat(fake.baseUrl()).startsWith("http://").endsWith("/");
    assertThat(fake.toString()).doesNotContain("secret");
    int port = okhttp3.HttpUrl.get(fake.baseUrl()).port();
    fake.close();
    fake.close();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
  }

  @Test
  void generatesDistinctCredentials() {
    try (FakeTpnsServer other = FakeTpnsServer.start()) {
      assertThat(other.secretKey()).isNotEqualTo(tpns.secretKey()).hasSize(32);
      assertThat(other.accessId()).hasSize(10);
    }
  }

  @Test
  void withAnApplyDelayWritesAreAcceptedAtOnceAndVisibleOnlyOnceApplied() {
    tpns.setApplyDelay(Duration.ofHours(1));
    tpns.bind("t-old", Account.of("alice", 1));
    BatchOperateResult accepted =
        client.batchOperate(
            BatchOperateRequest.overwrite(TokenAccounts.of("t-new", Account.of("alice", 1))));
    assertThat(accepted.isAllSuccess()).isTrue();
    client.batchOperate(
        BatchOperateRequest.deleteAccounts(TokenAccounts.of("t-old", Account.of("alice", 1))));
    assertThat(tpns.pendingWrites()).isEqualTo(2);
    // a query just after the writes sees the old state, as on TPNS
    assertThat(
            client
                .queryAccounts(AccountQueryRequest.tokensOfAccounts(Account.of("alice", 1)))
                .tokensByAccount())
        .containsEntry("alice", java.util.Collections.singletonList("t-old"));
    assertThat(tpns.tokensOf(Account.of("alice", 1))).containsExactly("t-old");
    tpns.applyPendingWrites();
    assertThat(tpns.pendingWrites()).isZero();
    assertThat(
            client
                .queryAccounts(AccountQueryRequest.tokensOfAccounts(Account.of("alice", 1)))
                .tokensByAccount())
        .containsEntry("alice", java.util.Collections.singletonList("t-new"));
  }

  @Test
  void aWriteWhoseDelayHasPassedAppliesBeforeTheNextAnswerInOrder() {
    tpns.setApplyDelay(Duration.ofNanos(1));
    client.batchOperate(
        BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("bob", 2))));
    client.batchOperate(
        BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("carol", 2))));
    AccountQueryResult r =
        client.queryAccounts(AccountQueryRequest.accountsOfTokens("t1", "never-seen"));
    assertThat(r.accountsByToken().get("t1")).containsExactly(Account.of("carol", 2));
    assertThat(r.items())
        .containsExactly(ItemResult.of("t1", "0"), ItemResult.of("never-seen", "10110008"));
  }

  @Test
  void bindSetsUpStateAtOnceAndRefusesWhatACallWouldBeRefused() {
    tpns.setApplyDelay(Duration.ofHours(1));
    tpns.bind("t1", Account.of("dave", 1), Account.of("dave-mail", 1005));
    assertThat(tpns.accountsOf("t1"))
        .containsExactly(Account.of("dave", 1), Account.of("dave-mail", 1005));
    tpns.setRequireRegisteredTokens(true);
    assertThatThrownBy(() -> tpns.bind("t2", Account.of("erin")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1008006");
    assertThatThrownBy(() -> tpns.bind("t2")).isInstanceOf(IllegalArgumentException.class);
  }
}
