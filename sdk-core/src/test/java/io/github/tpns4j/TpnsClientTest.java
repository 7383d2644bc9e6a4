package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

class TpnsClientTest extends MockServerFixture {
  private static final BatchOperateRequest TWO_TOKENS =
      BatchOperateRequest.overwrite(
          TokenAccounts.of("token1", Account.of("926@126.com"), Account.of("1527000000")),
          TokenAccounts.of("token2", Account.of("926@163.com", 1005)));

  private TpnsClient client() {
    client = builder().build();
    return client;
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  private static MockResponse success() {
    return json(Fixtures.read("batch-success-documented.json"));
  }

  // ---- the request on the wire

  @Test
  void sendsASignedPostWithTheExactBody() throws Exception {
    server.enqueue(success());
    long before = Instant.now().getEpochSecond();
    client().batchOperate(TWO_TOKENS);
    long after = Instant.now().getEpochSecond();

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v3/device/account/batchoperate");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.getHeader("AccessId")).isEqualTo(ACCESS_ID);
    assertThat(r.getHeader("User-Agent")).startsWith("tpns4j/");
    assertThat(r.getHeader("Authorization")).isNull();
    byte[] body = r.getBody().readByteArray();
    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(TWO_TOKENS.toJson());
    assertThat(
            Fixtures.tree(TWO_TOKENS.toJson())
                .at("/token_accounts/1/account_list/0/account_type")
                .asInt())
        .isEqualTo(1005);
    long ts = Long.parseLong(r.getHeader("TimeStamp"));
    assertThat(ts).isBetween(before, after);
    assertThat(r.getHeader("Sign"))
        .isEqualTo(TestSigning.sign(SECRET, r.getHeader("TimeStamp"), ACCESS_ID, body));
  }

  @Test
  void signsNonAsciiBodiesOverTheirUtf8Bytes() throws Exception {
    server.enqueue(success());
    BatchOperateRequest request = BatchOperateRequest.deleteAllForAccounts(Account.of("张三", 1));
    client().batchOperate(request);
    RecordedRequest r = server.takeRequest();
    byte[] body = r.getBody().readByteArray();
    assertThat(body).isEqualTo(request.toJson().getBytes(StandardCharsets.UTF_8));
    assertThat(r.getHeader("Sign"))
        .isEqualTo(TestSigning.sign(SECRET, r.getHeader("TimeStamp"), ACCESS_ID, body));
  }

  @Test
  void sendsBasicAuthorizationWhenAsked() throws Exception {
    server.enqueue(success());
    client = builder().authMode(AuthMode.BASIC).build();
    client.batchOperate(TWO_TOKENS);
    RecordedRequest r = server.takeRequest();
    assertThat(r.getHeader("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((ACCESS_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getHeader("Sign")).isNull();
    assertThat(r.getHeader("TimeStamp")).isNull();
  }

  @Test
  void keepsABaseUrlPathPrefixWithOrWithoutTrailingSlash() throws Exception {
    server.enqueue(success());
    server.enqueue(success());
    client = builder().baseUrl(server.url("/gateway/tpns").toString()).build();
    client.batchOperate(TWO_TOKENS);
    client.close();
    client = builder().baseUrl(server.url("/gateway/tpns/").toString()).build();
    client.batchOperate(TWO_TOKENS);
    assertThat(server.takeRequest().getPath())
        .isEqualTo("/gateway/tpns/v3/device/account/batchoperate");
    assertThat(server.takeRequest().getPath())
        .isEqualTo("/gateway/tpns/v3/device/account/batchoperate");
  }

  @Test
  void signsEveryAttemptAfresh() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Deque<MockResponse> answers = new ArrayDeque<>();
    answers.add(new MockResponse().setResponseCode(503));
    answers.add(success());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            clock.advance(Duration.ofSeconds(7)); // the next attempt happens later
            return answers.poll();
          }
        });
    client = builder().clock(clock).build();
    client.batchOperate(TWO_TOKENS);
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(
            Long.parseLong(second.getHeader("TimeStamp"))
                - Long.parseLong(first.getHeader("TimeStamp")))
        .isEqualTo(7);
    assertThat(second.getHeader("Sign")).isNotEqualTo(first.getHeader("Sign"));
    for (RecordedRequest r : new RecordedRequest[] {first, second}) {
      assertThat(r.getHeader("Sign"))
          .isEqualTo(
              TestSigning.sign(
                  SECRET, r.getHeader("TimeStamp"), ACCESS_ID, r.getBody().readByteArray()));
    }
  }

  // ---- answers

  @Test
  void readsTheDocumentedSuccess() {
    server.enqueue(success());
    BatchOperateResult r = client().batchOperate(TWO_TOKENS);
    assertThat(r.retCode()).isZero();
    assertThat(r.errMsg()).isEqualTo("NO_ERROR");
    assertThat(r.rawResult()).containsExactly("0");
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.items()).extracting(ItemResult::key).containsExactly("token1", "token2");
  }

  @Test
  void readsAPartialFailureAsAResult() {
    server.enqueue(json(Fixtures.read("batch-partial-failure.json")));
    BatchOperateResult r = client().batchOperate(TWO_TOKENS);
    assertThat(r.retCode()).isEqualTo(1008026);
    assertThat(r.failures()).containsExactly(ItemResult.of("token2", "1008006"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void readsATotalFailureAsAResult() {
    server.enqueue(
        json("{\"ret_code\":1008027,\"err_msg\":\"all failed\",\"result\":[\"1008006\",1008006]}"));
    BatchOperateResult r = client().batchOperate(TWO_TOKENS);
    assertThat(r.retCode()).isEqualTo(1008027);
    assertThat(r.failures()).extracting(ItemResult::code).containsExactly("1008006", "1008006");
  }

  @Test
  void readsOkFromOlderServersAndCamelCaseEnvelopes() {
    server.enqueue(json(Fixtures.read("batch-success-old-ok.json")));
    server.enqueue(
        json(
            "{\"retCode\":0,\"errMsg\":\"NO_ERROR\",\"result\":[\"0\",\"0\"],\"extra\":{\"x\":[1]}}"));
    server.enqueue(json("{\"ret_code\":\"0\",\"err_msg\":null}"));
    assertThat(client().batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    BatchOperateResult camel = client.batchOperate(TWO_TOKENS);
    assertThat(camel.errMsg()).isEqualTo("NO_ERROR");
    assertThat(camel.isAllSuccess()).isTrue();
    BatchOperateResult stringCode = client.batchOperate(TWO_TOKENS);
    assertThat(stringCode.isAllSuccess()).isTrue();
    assertThat(stringCode.errMsg()).isEmpty();
  }

  @Test
  void throwsApiExceptionForOtherCodesWithoutRetrying() {
    server.enqueue(json("{\"ret_code\":1008007,\"err_msg\":\"param invalid\"}"));
    TpnsApiException e =
        catchThrowableOfType(TpnsApiException.class, () -> client().batchOperate(TWO_TOKENS));
    assertThat(e.retCode()).isEqualTo(1008007);
    assertThat(e.errMsg()).isEqualTo("param invalid");
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.resultCode()).isEqualTo(ResultCode.PARAMETER_INVALID);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("1008007")
        .contains("param invalid")
        .contains("check the values");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void throwsAuthenticationExceptions() {
    server.enqueue(json("{\"ret_code\":1008003,\"err_msg\":\"auth failed\"}"));
    server.enqueue(json("{\"retCode\":10030002,\"errMsg\":\"mismatch\"}"));
    assertThatThrownBy(() -> client().batchOperate(TWO_TOKENS))
        .isInstanceOf(TpnsAuthenticationException.class)
        .hasMessageContaining("check the access ID and secret key")
        .hasMessageNotContaining(SECRET);
    TpnsAuthenticationException e =
        catchThrowableOfType(
            TpnsAuthenticationException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(e.retCode()).isEqualTo(10030002);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void throwsAppUnavailableForUnpaidOrDestroyedApps() {
    for (int code : new int[] {1008030, 1008031, 1010001}) {
      server.enqueue(json("{\"ret_code\":" + code + ",\"err_msg\":\"x\"}"));
    }
    client();
    for (int code : new int[] {1008030, 1008031, 1010001}) {
      TpnsAppUnavailableException e =
          catchThrowableOfType(
              TpnsAppUnavailableException.class, () -> client.batchOperate(TWO_TOKENS));
      assertThat(e.retCode()).isEqualTo(code);
      assertThat(e.isRetryable()).isFalse();
    }
  }

  @Test
  void readsATpnsBodyOnANon2xxStatusAsApiException() {
    server.enqueue(json("{\"ret_code\":1008003,\"err_msg\":\"auth failed\"}").setResponseCode(403));
    TpnsAuthenticationException e =
        catchThrowableOfType(
            TpnsAuthenticationException.class, () -> client().batchOperate(TWO_TOKENS));
    assertThat(e.httpStatus()).isEqualTo(403);
  }

  @Test
  void throwsHttpExceptionForANon2xxWithoutTpnsBody() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("<html>Not Found</html>"));
    TpnsHttpException e =
        catchThrowableOfType(TpnsHttpException.class, () -> client().batchOperate(TWO_TOKENS));
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .contains("HTTP 404")
        .contains("Not Found")
        .contains("check the base URL");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void treatsANon2xxWithRetCodeZeroAsHttpFailure() {
    server.enqueue(json("{\"ret_code\":0}").setResponseCode(400));
    assertThat(
            catchThrowableOfType(TpnsHttpException.class, () -> client().batchOperate(TWO_TOKENS))
                .httpStatus())
        .isEqualTo(400);
  }

  @Test
  void doesNotFollowRedirects() {
    server.enqueue(
        new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere")));
    assertThat(
            catchThrowableOfType(TpnsHttpException.class, () -> client().batchOperate(TWO_TOKENS))
                .httpStatus())
        .isEqualTo(302);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void throwsProtocolExceptionForAShapeless2xx() {
    String[] bodies = {
      "<html>hello</html>",
      "{\"err_msg\":\"no code\"}",
      "[1,2]",
      "",
      "{\"ret_code\":0",
      "{\"ret_code\":\"zero\"}",
      "{\"ret_code\":0,\"result\":{\"a\":1}}",
      "{\"ret_code\":0} trailing"
    };
    for (String body : bodies) {
      server.enqueue(new MockResponse().setBody(body));
    }
    client();
    for (String body : bodies) {
      Throwable t = catchThrowable(() -> client.batchOperate(TWO_TOKENS));
      assertThat(t).as(body).isInstanceOf(TpnsProtocolException.class);
      assertThat(((TpnsException) t).isRetryable()).isFalse();
      assertThat(t.getMessage()).contains("not the documented TPNS JSON");
    }
    assertThat(server.getRequestCount()).isEqualTo(bodies.length);
  }

  // ---- retries

  @Test
  void retriesServerErrorsThenSucceeds() {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(502));
    server.enqueue(success());
    assertThat(client().batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxRetriesKeepingEarlierFailures() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
    }
    TpnsHttpException e =
        catchThrowableOfType(TpnsHttpException.class, () -> client().batchOperate(TWO_TOKENS));
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getSuppressed()).hasSize(2);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void retriesEachRetryableStatusAndCode() {
    String[] codes = {"429", "500", "502", "503", "504"};
    for (String status : codes) {
      server.enqueue(new MockResponse().setResponseCode(Integer.parseInt(status)));
    }
    server.enqueue(json("{\"ret_code\":1008004,\"err_msg\":\"internal\"}"));
    server.enqueue(json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}"));
    server.enqueue(success());
    client = builder().maxRetries(7).build();
    assertThat(client.batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(8);
  }

  @Test
  void aRateLimitedCallIsPacedPastMaxRetriesUntilItIsServed() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}"));
    }
    server.enqueue(success());
    client = builder().maxRetries(0).build();
    assertThat(client.batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void throwsRateLimitExceptionWhenTheServersWaitWouldPassTheDeadline() {
    server.enqueue(json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}"));
    server.enqueue(
        json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}").setHeader("Retry-After", "1"));
    client = builder().maxRetries(0).callDeadline(Duration.ofMillis(500)).build();
    TpnsRateLimitException e =
        catchThrowableOfType(TpnsRateLimitException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("fewer calls");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(e.getSuppressed()).singleElement().isInstanceOf(TpnsRateLimitException.class);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aCallRateLimitedUntilItsDeadlineEndsThenAndKeepsTheRateLimitsItSaw() {
    for (int i = 0; i < 500; i++) {
      server.enqueue(json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}"));
    }
    client = builder().callDeadline(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    TpnsException e =
        catchThrowableOfType(TpnsException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    assertThat(e.isRetryable()).isTrue();
    // ended by the deadline (mid-attempt) or by a wait that would pass it: either way, said
    assertThat(e).isInstanceOfAny(TpnsRateLimitException.class, TpnsTransportException.class);
    assertThat(e.getSuppressed()).isNotEmpty().allMatch(s -> s instanceof TpnsRateLimitException);
  }

  @Test
  void doesNotRetryOtherStatuses() {
    server.enqueue(new MockResponse().setResponseCode(501));
    assertThatThrownBy(() -> client().batchOperate(TWO_TOKENS))
        .isInstanceOf(TpnsHttpException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void honoursRetryAfterSeconds() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
    server.enqueue(success());
    long start = System.nanoTime();
    assertThat(client().batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    // the backoff alone is at most 5 ms; the retry waited for the server's second
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(990));
  }

  @Test
  void failsAtOnceWhenRetryAfterIsLongerThanAMinute() {
    server.enqueue(
        json("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}").setHeader("Retry-After", "120"));
    TpnsRateLimitException e =
        catchThrowableOfType(TpnsRateLimitException.class, () -> client().batchOperate(TWO_TOKENS));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void readsRetryAfterAsAnHttpDate() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.parse("2026-01-01T00:05:00Z").atOffset(ZoneOffset.UTC));
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", date));
    client = builder().clock(clock).build();
    TpnsHttpException e =
        catchThrowableOfType(TpnsHttpException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(e.retryAfter()).contains(Duration.ofMinutes(5));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void parsesRetryAfterForms() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Failures.parseRetryAfter("30", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Failures.parseRetryAfter(" 0 ", now)).isEqualTo(Duration.ZERO);
    assertThat(Failures.parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(Failures.parseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", now))
        .isEqualTo(Duration.ZERO);
    assertThat(Failures.parseRetryAfter("soon", now)).isNull();
    assertThat(Failures.parseRetryAfter("", now)).isNull();
    assertThat(Failures.parseRetryAfter(null, now)).isNull();
    assertThat(Failures.parseRetryAfter("99999999999999999999999", now))
        .isGreaterThan(Duration.ofDays(1));
  }

  @Test
  void retriesDroppedConnections() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(success());
    assertThat(client().batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void makesExactlyOneAttemptWithMaxRetriesZero() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(success());
    client = builder().maxRetries(0).build();
    TpnsTransportException e =
        catchThrowableOfType(TpnsTransportException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getCause()).isInstanceOf(IOException.class);
    assertThat(e.getMessage()).contains("idempotent");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void timesOutPerAttempt() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    client = builder().maxRetries(0).readTimeout(Duration.ofMillis(200)).build();
    TpnsTransportException e =
        catchThrowableOfType(TpnsTransportException.class, () -> client.batchOperate(TWO_TOKENS));
    assertThat(e.getMessage()).contains("timed out");
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void builderTimeoutsOverrideTheCallersClientAndUnsetOnesKeepIt() {
    OkHttpClient callers = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(100)).build();
    server.enqueue(success().setBodyDelay(400, TimeUnit.MILLISECONDS));
    server.enqueue(success().setBodyDelay(400, TimeUnit.MILLISECONDS));
    client = builder().okHttpClient(callers).readTimeout(Duration.ofSeconds(5)).build();
    assertThat(client.batchOperate(TWO_TOKENS).isAllSuccess()).isTrue();
    client.close();
    client = builder().okHttpClient(callers).maxRetries(0).build();
    assertThatThrownBy(() -> client.batchOperate(TWO_TOKENS))
        .isInstanceOf(TpnsTransportException.class);
  }

  @Test
  void anInterruptedThreadIsNotRetried() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(503));
    }
    client = builder().retryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
    Thread.currentThread().interrupt();
    try {
      TpnsTransportException e =
          catchThrowableOfType(TpnsTransportException.class, () -> client.batchOperate(TWO_TOKENS));
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.getMessage()).contains("interrupted");
      assertThat(server.getRequestCount()).isLessThanOrEqualTo(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptDuringTheBackoffEndsTheCall() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    client = builder().retryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
    Thread caller = Thread.currentThread();
    assertThat(caller.isInterrupted())
        .as("the test's thread is interrupted before its call: an earlier test left it so")
        .isFalse();
    java.util.concurrent.atomic.AtomicBoolean interrupted =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread interrupter =
        new Thread(
            () -> {
              try {
                server.takeRequest(); // the first attempt is answered: the caller now waits
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(25); // < the backoff
                while (!isWaitingToRetry(caller)) {
                  if (System.nanoTime() - giveUp > 0) {
                    return; // never saw it wait: the assertions below say so
                  }
                  java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                interrupted.set(true);
                caller.interrupt();
              } catch (InterruptedException ignored) {
                // test ends
              }
            });
    interrupter.start();
    try {
      Throwable t = catchThrowable(() -> client.batchOperate(TWO_TOKENS));
      assertThat(interrupted)
          .as("the caller was seen waiting to retry, and interrupted; it ended with %s", t)
          .isTrue();
      assertThat(t).isInstanceOf(TpnsTransportException.class);
      TpnsTransportException e = (TpnsTransportException) t;
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
      assertThat(e.getSuppressed()).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
      interrupter.join();
    }
  }

  /** The thread is in the client's wait before a retry, not anywhere else. */
  private static boolean isWaitingToRetry(Thread t) {
    boolean inLatch = false;
    for (StackTraceElement e : t.getStackTrace()) {
      inLatch |= e.getClassName().equals(java.util.concurrent.CountDownLatch.class.getName());
      if (inLatch && e.getClassName().equals(Lifecycle.class.getName())) {
        return true;
      }
    }
    return false;
  }

  // ---- async

  @Test
  void asyncCallsSucceedAndRetryLikeSyncOnes() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(success());
    BatchOperateResult r = client().batchOperateAsync(TWO_TOKENS).get(10, TimeUnit.SECONDS);
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void asyncCallsFailWithTheSameExceptionTypes() {
    server.enqueue(json("{\"ret_code\":1008003,\"err_msg\":\"auth\"}"));
    CompletableFuture<BatchOperateResult> f = client().batchOperateAsync(TWO_TOKENS);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TpnsAuthenticationException.class);

    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(500));
    }
    Throwable t = catchThrowable(() -> client.batchOperateAsync(TWO_TOKENS).join());
    assertThat(t.getCause()).isInstanceOf(TpnsHttpException.class);
    assertThat(t.getCause().getSuppressed()).hasSize(2);
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void anEventListenerOfTheCallersOkHttpClientThatThrowsFailsTheFutureNotTheCaller() {
    OkHttpClient callers =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void callStart(Call call) {
                    throw new IllegalStateException("listener bug");
                  }
                })
            .build();
    client = builder().okHttpClient(callers).build();
    CompletableFuture<BatchOperateResult> f = client.batchOperateAsync(TWO_TOKENS);
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(TpnsException.class).hasMessageContaining("listener bug");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void cancellingAnAsyncCallCancelsTheHttpCall() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    CountDownLatch canceled = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    OkHttpClient callers =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void requestHeadersStart(Call call) {
                    started.countDown();
                  }

                  @Override
                  public void canceled(Call call) {
                    canceled.countDown();
                  }
                })
            .build();
    client = builder().okHttpClient(callers).build();
    CompletableFuture<BatchOperateResult> f = client.batchOperateAsync(TWO_TOKENS);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    f.cancel(true);
    assertThat(canceled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f).isCancelled();
    assertThat(server.getRequestCount()).isLessThanOrEqualTo(1); // and no retry
  }

  @Test
  void closingFailsPendingAsyncRetries() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "20"));
    server.enqueue(success());
    CountDownLatch answered = new CountDownLatch(1);
    OkHttpClient callers =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void responseHeadersEnd(Call call, okhttp3.Response response) {
                    answered.countDown();
                  }
                })
            .build();
    client = builder().okHttpClient(callers).build();
    CompletableFuture<BatchOperateResult> f = client.batchOperateAsync(TWO_TOKENS);
    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    client.close();
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TpnsException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  // ---- lifecycle and configuration

  @Test
  void closeIsIdempotentAndLaterCallsFail() {
    client();
    client.close();
    client.close();
    assertThatThrownBy(() -> client.batchOperate(TWO_TOKENS))
        .isInstanceOf(TpnsException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> client.batchOperateAsync(TWO_TOKENS).join())
        .hasCauseInstanceOf(TpnsException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void neverShutsDownTheCallersClient() {
    OkHttpClient callers = new OkHttpClient();
    server.enqueue(success());
    server.enqueue(success());
    TpnsClient a = builder().okHttpClient(callers).build();
    a.batchOperate(TWO_TOKENS);
    a.close();
    assertThat(callers.dispatcher().executorService().isShutdown()).isFalse();
    client = builder().okHttpClient(callers).build();
    assertThat(client.batchOperateAsync(TWO_TOKENS).join().isAllSuccess()).isTrue();
  }

  @Test
  void rejectsANullRequest() {
    assertThatThrownBy(() -> client().batchOperate(null))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> client.batchOperateAsync(null))
        .isInstanceOf(TpnsValidationException.class);
  }

  @Test
  void validatesTheBuilder() {
    assertThatThrownBy(() -> TpnsClient.builder().secretKey(SECRET).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("accessId is missing");
    assertThatThrownBy(() -> TpnsClient.builder().accessId(" ").secretKey(SECRET).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("accessId is blank");
    assertThatThrownBy(() -> TpnsClient.builder().accessId("15 00").secretKey(SECRET).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("HTTP header");
    assertThatThrownBy(() -> TpnsClient.builder().accessId(ACCESS_ID).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("secretKey is missing");
    assertThatThrownBy(() -> TpnsClient.builder().accessId(ACCESS_ID).secretKey(" ").build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("secretKey is blank");
    assertThatThrownBy(() -> builder().baseUrl("ftp://x").build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> builder().baseUrl("http://x/?a=1").build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> builder().maxRetries(-1).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> builder().readTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(
            () -> builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> builder().retryBackoff(null, Duration.ofSeconds(1)).build())
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> builder().authMode(null).build())
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(
            () -> TpnsClient.builder().accessId(ACCESS_ID).secretKey(SECRET).region(null).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("region");
  }

  @Test
  void regionsHaveTheDocumentedBaseUrls() {
    assertThat(Region.GUANGZHOU.baseUrl()).isEqualTo("https://api.tpns.tencent.com/");
    assertThat(Region.SHANGHAI.baseUrl()).isEqualTo("https://api.tpns.sh.tencent.com/");
    assertThat(Region.HONG_KONG.baseUrl()).isEqualTo("https://api.tpns.hk.tencent.com/");
    assertThat(Region.SINGAPORE.baseUrl()).isEqualTo("https://api.tpns.sgp.tencent.com/");
    TpnsClient c =
        TpnsClient.builder().accessId(ACCESS_ID).secretKey(SECRET).region(Region.SINGAPORE).build();
    assertThat(c.toString()).contains("https://api.tpns.sgp.tencent.com/");
    c.close();
    TpnsClient d = TpnsClient.builder().accessId(ACCESS_ID).secretKey(SECRET).build();
    assertThat(d.toString()).contains("https://api.tpns.tencent.com/");
    d.close();
  }

  @Test
  void neverShowsTheSecretOrSignature() throws Exception {
    server.enqueue(json("{\"ret_code\":1008003,\"err_msg\":\"auth failed\"}"));
    server.enqueue(new MockResponse().setResponseCode(400).setBody("bad"));
    client = builder().maxRetries(0).build();
    Throwable auth = catchThrowable(() -> client.batchOperate(TWO_TOKENS));
    Throwable http = catchThrowable(() -> client.batchOperate(TWO_TOKENS));
    String sign = server.takeRequest().getHeader("Sign");
    String basic =
        Base64.getEncoder()
            .encodeToString((ACCESS_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    for (Object o : new Object[] {auth.getMessage(), http.getMessage(), client, builder()}) {
      assertThat(String.valueOf(o))
          .doesNotContain(SECRET)
          .doesNotContain(sign)
          .doesNotContain(basic);
    }
    assertThat(builder().toString()).contains("secretKey=***");
  }

  @Test
  void printsNothing() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true);
    System.setOut(capture);
    System.setErr(capture);
    try {
      server.enqueue(new MockResponse().setResponseCode(503));
      server.enqueue(success());
      server.enqueue(json("{\"ret_code\":1008007}"));
      client().batchOperate(TWO_TOKENS);
      assertThat(client.batchOperateAsync(TWO_TOKENS).handle((r, t) -> t).join())
          .isInstanceOf(TpnsApiException.class);
      client.close();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(captured.toString()).isEmpty();
  }
}
