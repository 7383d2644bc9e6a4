package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryAccountsTest extends MockServerFixture {
  @BeforeEach
  void start() {
    client = builder().secretKey("secret").baseUrl(server.url("/api").toString()).build();
  }

  @Test
  void readsTheDocumentedTokensOfAccountsAnswer() throws Exception {
    server.enqueue(new MockResponse().setBody(Fixtures.read("query-type1-answer-documented.json")));
    AccountQueryRequest request =
        AccountQueryRequest.tokensOfAccounts(Account.of("account1"), Account.of("account2", 1));
    AccountQueryResult r = client.queryAccounts(request);
    assertThat(r.retCode()).isZero();
    assertThat(r.errMsg()).isEqualTo("ok");
    assertThat(r.tokensByAccount())
        .containsExactly(
            entry("account1", Arrays.asList("token1", "token2")),
            entry("account2", Arrays.asList("token2", "token3")));
    assertThat(r.accountsByToken()).isEmpty();
    assertThat(r.items())
        .containsExactly(ItemResult.of("account1", "0"), ItemResult.of("account2", "0"));

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getPath()).isEqualTo("/api/v3/device/account/query");
    assertThat(recorded.getBody().readUtf8()).isEqualTo(request.toJson());
    byte[] body = request.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(recorded.getHeader("Sign"))
        .isEqualTo(TestSigning.sign("secret", recorded.getHeader("TimeStamp"), "1500001048", body));
  }

  @Test
  void readsTheDocumentedAccountsOfTokensAnswer() {
    server.enqueue(new MockResponse().setBody(Fixtures.read("query-type2-answer-documented.json")));
    AccountQueryResult r =
        client.queryAccounts(AccountQueryRequest.accountsOfTokens("token1", "token2"));
    assertThat(r.accountsByToken())
        .containsExactly(
            // the international site's answer has no account_type: type 0, as the China site says
            entry(
                "token1", Arrays.asList(Account.of("926@126.com", 0), Account.of("1527000000", 0))),
            entry(
                "token2",
                Arrays.asList(Account.of("926@163.com", 0), Account.of("1527000001", 0))));
    assertThat(r.tokensByAccount()).isEmpty();
  }

  @Test
  void readsTheChinaSiteVariantWithTypesAndNotFound() {
    server.enqueue(new MockResponse().setBody(Fixtures.read("query-type1-answer-china.json")));
    AccountQueryResult r =
        client.queryAccounts(
            AccountQueryRequest.tokensOfAccounts(Account.of("account1"), Account.of("account2")));
    assertThat(r.errMsg()).isEqualTo("NO_ERROR");
    assertThat(r.items().get(1)).isEqualTo(ItemResult.of("account2", "10110008"));
    assertThat(r.items().get(1).resultCode()).isEqualTo(ResultCode.NOT_FOUND);
    assertThat(r.tokensByAccount().get("account2")).isEmpty();
    assertThat(r.rawResult()).containsExactly("0", "10110008");
  }

  @Test
  void keepsRequestOrderAndAddsWhatTheServerAdded() {
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"ret_code\":0,\"err_msg\":\"ok\",\"result\":[\"0\",\"10110008\"],"
                    + "\"token_accounts\":[{\"token\":\"extra\",\"account_list\":[]},"
                    + "{\"token\":\"b\",\"account_list\":[{\"account\":\"x\",\"account_type\":1002}]}]}"));
    AccountQueryResult r = client.queryAccounts(AccountQueryRequest.accountsOfTokens("b", "a"));
    assertThat(r.accountsByToken().keySet()).containsExactly("b", "a", "extra");
    assertThat(r.accountsByToken().get("b")).containsExactly(Account.of("x", 1002));
    assertThat(r.accountsByToken().get("a")).isEmpty();
  }

  @Test
  void throwsAndRetriesLikeBatchOperations() {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setBody("{\"retCode\":1008003,\"errMsg\":\"auth\"}"));
    assertThatThrownBy(() -> client.queryAccounts(AccountQueryRequest.accountsOfTokens("t")))
        .isInstanceOf(TpnsAuthenticationException.class);
    assertThat(server.getRequestCount()).isEqualTo(2);
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"retCode\":0,\"token_accounts\":[{\"token\":\"t\",\"account_list\":[{\"account\":\" \"}]}]}"));
    assertThatThrownBy(() -> client.queryAccounts(AccountQueryRequest.accountsOfTokens("t")))
        .isInstanceOf(TpnsProtocolException.class);
    assertThatThrownBy(() -> client.queryAccounts(null))
        .isInstanceOf(TpnsValidationException.class);
  }

  @Test
  void queriesAsynchronously() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setBody(Fixtures.read("query-type2-answer-documented.json")));
    AccountQueryResult r =
        client
            .queryAccountsAsync(AccountQueryRequest.accountsOfTokens("token1", "token2"))
            .get(10, TimeUnit.SECONDS);
    assertThat(r.accountsByToken()).hasSize(2);
    server.enqueue(new MockResponse().setBody("{\"retCode\":1008007,\"errMsg\":\"bad\"}"));
    assertThatThrownBy(
            () ->
                client
                    .queryAccountsAsync(AccountQueryRequest.accountsOfTokens("t"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TpnsApiException.class);
  }

  private static <K, V> java.util.Map.Entry<K, V> entry(K k, V v) {
    return new java.util.AbstractMap.SimpleEntry<>(k, v);
  }
}
