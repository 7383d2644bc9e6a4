package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Clock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Properties over any input: every answer body gives a result or a {@link TpnsException}, never
 * another throwable; every valid Unicode token and account round-trips through {@code toJson()}.
 */
class AnswerPropertiesTest {
  private static final HttpUrl URL = HttpUrl.get("http://127.0.0.1/v3/device/account/batchoperate");
  private static final BatchOperateRequest TWO =
      BatchOperateRequest.overwrite(
          TokenAccounts.of("t1", Account.of("a")), TokenAccounts.of("t2", Account.of("b", 1)));
  private static final SignedRequests REQUESTS =
      new SignedRequests(
          "1500001048", new Signer("1500001048", "secret"), null, "tpns4j/test", Clock.systemUTC());
  private static final AnswerReader READER =
      new AnswerReader(Clock.systemUTC(), new Redactor("secret"));
  private static final CallSpec<BatchOperateResult> SPEC = TpnsClient.batchSpec(TWO, URL);

  private static void readAnswer(int status, byte[] body) {
    Request request = REQUESTS.request(SPEC, null);
    Response response =
        new Response.Builder()
            .request(request)
            .protocol(Protocol.HTTP_1_1)
            .code(status)
            .message("x")
            .header("Retry-After", "1")
            .body(ResponseBody.create(body, MediaType.get("application/json")))
            .build();
    try {
      BatchOperateResult r = READER.read(SPEC, response);
      assertThat(r.items()).hasSize(2);
    } catch (TpnsException expected) {
      assertThat(expected.getMessage()).isNotEmpty();
    }
  }

  @Property(tries = 50_000)
  void anyBytesGiveAResultOrATpnsException(
      @ForAll byte[] body, @ForAll @IntRange(min = 100, max = 599) int status) {
    readAnswer(status, body);
  }

  @Property(tries = 50_000)
  void anyJsonLikeBodyGivesAResultOrATpnsException(
      @ForAll("jsonish") String body, @ForAll("statuses") int status) {
    readAnswer(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<Integer> statuses() {
    return Arbitraries.of(200, 200, 200, 400, 429, 500, 503);
  }

  /** Bodies assembled from the fragments of TPNS answers: deep paths, not only parse errors. */
  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> fragment =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"ret_code\"",
            "\"retCode\"",
            "\"err_msg\"",
            "\"errMsg\"",
            "\"result\"",
            "\"account_tokens\"",
            "\"token_accounts\"",
            "\"token_list\"",
            "\"account_list\"",
            "\"account\"",
            "\"account_type\"",
            "\"token\"",
            "0",
            "1008026",
            "1008028",
            "-1",
            "99999999999",
            "1.5",
            "true",
            "null",
            "\"0\"",
            "\"ok\"",
            "\"\"",
            "\" \"",
            "\"\\ud800\"",
            "\"x\"",
            "{\"ret_code\":0,",
            "{\"retCode\":0,\"result\":[\"0\",\"0\"]",
            "\"result\":[\"0\",\"1008006\"]");
    return fragment.list().ofMaxSize(24).map(l -> String.join("", l));
  }

  @Property(tries = 5_000)
  void anyValidUnicodeTokenAndAccountRoundTripsThroughToJson(
      @ForAll("text") String token,
      @ForAll("text") String account,
      @ForAll @IntRange(min = 0, max = 100_000) int type) {
    BatchOperateRequest r =
        BatchOperateRequest.overwrite(TokenAccounts.of(token, Account.of(account, type)));
    JsonNode tree = Fixtures.tree(r.toJson());
    JsonNode entry = tree.at("/token_accounts/0");
    assertThat(entry.get("token").asText()).isEqualTo(token);
    assertThat(entry.at("/account_list/0/account").asText()).isEqualTo(account);
    assertThat(entry.at("/account_list/0/account_type").asInt()).isEqualTo(type);
    assertThat(
            Fixtures.tree(BatchOperateRequest.deleteAllForTokens(token).toJson())
                .at("/token_list/0")
                .asText())
        .isEqualTo(token);
  }

  /** Any Unicode code point (surrogate pairs included, lone surrogates not), non-blank. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<Integer> codePoint =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 0xD7FF),
            Arbitraries.integers().between(0xE000, 0x10FFFF),
            Arbitraries.of(0, 0x22, 0x5C, 0x0A, 0x2028, 0x2029, 0x7F, 0xFEFF, 0x1F600));
    return codePoint
        .list()
        .ofMinSize(1)
        .ofMaxSize(40)
        .map(
            cps -> {
              StringBuilder b = new StringBuilder();
              cps.forEach(b::appendCodePoint);
              return b.toString();
            })
        .filter(
            s -> !s.trim().isEmpty() && s.codePoints().anyMatch(c -> !Character.isWhitespace(c)));
  }
}
