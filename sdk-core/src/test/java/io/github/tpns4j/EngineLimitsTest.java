package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every call and every run has a bound: retries in bulk runs, the call deadline, callbacks. */
class EngineLimitsTest extends MockServerFixture {
  private static final BatchOperateRequest ONE =
      BatchOperateRequest.overwrite(TokenAccounts.of("token1", Account.of("a")));

  private static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "t" + i).collect(Collectors.toList());
  }

  // ---- bulk retries are bounded by the run

  @Test
  void unlimitedRetriesStillEndABulkRunDuringAnOutage() {
    StubTpns stub = new StubTpns();
    stub.callAnswer = keys -> new MockResponse().setResponseCode(503).setBody("down");
    server.setDispatcher(stub);
    client =
        builder()
            .maxRetries(Integer.MAX_VALUE)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
            .build();
    long start = System.nanoTime();
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(2_000)).concurrency(4)));
    assertThat(stop).isNotNull();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(60);
    assertThat(stop.getCause()).isInstanceOf(TpnsHttpException.class);
    assertThat(stop.partialResult().callsFailed()).isGreaterThanOrEqualTo(16);
    int calls = stop.partialResult().calls();
    // every call failed, and the run allowed no more retries than its budget
    assertThat(server.getRequestCount())
        .isLessThanOrEqualTo(calls + RetryBudget.forRun(4).available());
  }

  @Test
  void aRunThatIsOnlyEverRateLimitedGivesUpAfterRateLimitTimeoutAndSaysSo() {
    StubTpns stub = new StubTpns();
    stub.callAnswer =
        keys -> new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}");
    server.setDispatcher(stub);
    client =
        builder()
            .maxRetries(0)
            .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(40))
            .rateLimitTimeout(Duration.ofMillis(600))
            .build();
    long start = System.nanoTime();
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(2_000)).concurrency(4)));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // not after the first refusal, whatever maxRetries says: after the patience ran out
    assertThat(took).isGreaterThanOrEqualTo(500);
    assertThat(stop.getCause())
        .hasMessageContaining("rateLimitTimeout")
        .hasCauseInstanceOf(TpnsRateLimitException.class);
    assertThat(((TpnsException) stop.getCause()).isRetryable()).isTrue();
    // the run paced itself: one call at a time after the first halvings, one per pause
    assertThat(server.getRequestCount()).isLessThan(4 + (int) (took / 10));
    BulkResult partial = stop.partialResult();
    assertThat(partial.itemsSucceeded()).isZero();
    assertThat((long) partial.failures().size()).isEqualTo(stop.inputIndex());
  }

  @Test
  void aStoppedRunEndsItsPendingRetriesInsteadOfWaitingForThem() throws Exception {
    StubTpns stub = new StubTpns();
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    // the first call succeeds; every later one answers 503 with a long Retry-After
    stub.callAnswer =
        keys ->
            keys.contains("t0") && n.incrementAndGet() == 1
                ? null
                : new MockResponse().setResponseCode(503).setHeader("Retry-After", "20");
    // the first call answers once the others are sent (no call starts while the listener runs)
    stub.onCall =
        keys -> {
          if (keys.contains("t0")) {
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    server.setDispatcher(stub);
    client = builder().maxRetries(Integer.MAX_VALUE).build();
    CountDownLatch retriesPending = new CountDownLatch(3);
    TpnsClient c =
        builder()
            .maxRetries(Integer.MAX_VALUE)
            .eventListener(
                new TpnsEventListener() {
                  @Override
                  public void retryScheduled(RetryScheduled event) {
                    retriesPending.countDown();
                  }
                })
            .build();
    client.close();
    client = c;
    long start = System.nanoTime();
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () ->
                client.bulkOperate(
                    BulkRequest.deleteAllForTokens(tokens(200))
                        .concurrency(4)
                        .onProgress(
                            (items, calls) -> {
                              // the first call's progress: wait until the others wait to retry
                              try {
                                if (!retriesPending.await(10, TimeUnit.SECONDS)) {
                                  throw new AssertionError("no retries pending");
                                }
                              } catch (InterruptedException e) {
                                throw new AssertionError(e);
                              }
                              throw new IllegalStateException("listener gave up");
                            })));
    assertThat(stop.getCause()).hasMessage("listener gave up");
    // without ending the pending retries the run would wait 20 s for them
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    assertThat(stop.partialResult().itemsSucceeded()).isEqualTo(20);
    assertThat(stop.partialResult().failures()).hasSize((int) stop.inputIndex() - 20);
  }

  // ---- the deadline of a whole call

  /** The server answers every request with {@code answer}. */
  private void answerAlways(MockResponse answer) {
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r) {
            return answer;
          }
        });
  }

  enum Mode {
    SYNC,
    ASYNC
  }

  private Throwable call(Mode mode) {
    return catchThrowable(
        () -> {
          if (mode == Mode.SYNC) {
            client.batchOperate(ONE);
          } else {
            try {
              client.batchOperateAsync(ONE).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
              throw e.getCause();
            }
          }
        });
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryAfterLongerThanWhatIsLeftOfTheDeadlineFailsAtOnceRetryable(Mode mode) {
    answerAlways(new MockResponse().setResponseCode(503).setHeader("Retry-After", "30"));
    client = builder().maxRetries(10).build(); // the default deadline: 30 s
    long start = System.nanoTime();
    Throwable t = call(mode);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isLessThan(TpnsClient.Builder.DEFAULT_CALL_DEADLINE.toMillis());
    assertThat(t).isInstanceOf(TpnsHttpException.class);
    TpnsHttpException e = (TpnsHttpException) t;
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriesEndWithinTheDeadline(Mode mode) {
    answerAlways(new MockResponse().setResponseCode(503).setHeader("Retry-After", "1"));
    client = builder().maxRetries(Integer.MAX_VALUE).callDeadline(Duration.ofMillis(2_500)).build();
    long start = System.nanoTime();
    Throwable t = call(mode);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(t).isInstanceOf(TpnsHttpException.class);
    assertThat(took).isLessThan(2_500);
    assertThat(server.getRequestCount()).isBetween(2, 3); // at 0 s, 1 s, and 2 s at the most
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryIsCutAtTheDeadline(Mode mode) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r)
              throws InterruptedException {
            if (r.getSequenceNumber() == 0) {
              return new MockResponse().setResponseCode(503);
            }
            release.await(20, TimeUnit.SECONDS); // the retry hangs
            return new MockResponse().setResponseCode(503);
          }
        });
    client = builder().callDeadline(Duration.ofMillis(1_500)).build();
    long start = System.nanoTime();
    Throwable t = call(mode);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    release.countDown();
    assertThat(t)
        .isInstanceOf(TpnsTransportException.class)
        .hasMessageContaining("did not end within its callDeadline of PT1.5S");
    assertThat(((TpnsException) t).isRetryable()).isTrue();
    assertThat(took).isBetween(1_000L, 2_500L);
  }

  @Test
  void callDeadlineIsValidatedLikeEveryDuration() {
    assertThatThrownBy(() -> builder().callDeadline(null).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("callDeadline");
    assertThatThrownBy(() -> builder().callDeadline(Duration.ofSeconds(-1)).build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("callDeadline");
    builder().callDeadline(Duration.ZERO).build().close();
  }

  // ---- BASIC sends the secret: never over plain http to another host

  @Test
  void basicOverPlainHttpIsRefusedButToLoopbackAndHttps() {
    assertThatThrownBy(
            () ->
                TpnsClient.builder()
                    .accessId("1500001048")
                    .secretKey("s")
                    .authMode(AuthMode.BASIC)
                    .baseUrl("http://api.tpns.tencent.com/")
                    .build())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("BASIC")
        .hasMessageContaining("https")
        .hasMessageNotContaining("secretKey=s");
    for (String ok :
        new String[] {
          "https://api.tpns.tencent.com/",
          "http://127.0.0.1:8080/",
          "http://localhost/",
          "http://[::1]:9/"
        }) {
      TpnsClient.builder()
          .accessId("1500001048")
          .secretKey("s")
          .authMode(AuthMode.BASIC)
          .baseUrl(ok)
          .build()
          .close();
    }
    // SIGNATURE never sends the secret: plain http stays allowed (a gateway, a proxy)
    TpnsClient.builder()
        .accessId("1500001048")
        .secretKey("s")
        .baseUrl("http://gateway.internal/")
        .build()
        .close();
  }

  // ---- where async futures complete

  private static final String QUERY_ANSWER =
      "{\"retCode\":0,\"errMsg\":\"ok\",\"token_accounts\":[{\"token\":\"token1\","
          + "\"account_list\":[{\"account\":\"a\"}]}]}";

  private CompletableFuture<AccountQueryResult> bindThenQueryBlocking() {
    return client
        .batchOperateAsync(ONE)
        .thenApply(r -> client.queryAccountsAsync(AccountQueryRequest.accountsOfTokens("token1")))
        .thenApply(CompletableFuture::join);
  }

  @Test
  void aBlockingDependentStageOnOkHttpsThreadDeadlocksAtTheHostLimit() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"ret_code\":0,\"result\":[\"0\"]}"));
    server.enqueue(new MockResponse().setBody(QUERY_ANSWER));
    OkHttpClient http = onePerHost();
    client = builder().okHttpClient(http).build();
    CompletableFuture<AccountQueryResult> f = bindThenQueryBlocking();
    // the query waits for the slot its own dependent stage holds: it never completes
    assertThatThrownBy(() -> f.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
    client.close(); // the queued query is ended: the stage returns, and the future completes
    assertThat(f.handle((r, t) -> true).get(10, TimeUnit.SECONDS)).isTrue();
    http.dispatcher().executorService().shutdown();
  }

  @Test
  void aCallbackExecutorMovesDependentStagesOffOkHttpsThreads() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"ret_code\":0,\"result\":[\"0\"]}"));
    server.enqueue(new MockResponse().setBody(QUERY_ANSWER));
    OkHttpClient http = onePerHost();
    ExecutorService callbacks = Executors.newCachedThreadPool();
    try {
      client = builder().okHttpClient(http).callbackExecutor(callbacks).build();
      AccountQueryResult r = bindThenQueryBlocking().get(10, TimeUnit.SECONDS);
      assertThat(r.accountsByToken()).containsOnlyKeys("token1");
      CompletableFuture<String> where =
          client.batchOperateAsync(ONE).thenApply(x -> Thread.currentThread().getName());
      server.enqueue(new MockResponse().setBody("{\"ret_code\":0,\"result\":[\"0\"]}"));
      assertThat(where.get(10, TimeUnit.SECONDS)).doesNotContain("OkHttp");
    } finally {
      callbacks.shutdown();
      http.dispatcher().executorService().shutdown();
    }
  }

  @Test
  void cancellingTheFutureOfACallbackExecutorCancelsTheCall() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r)
              throws InterruptedException {
            received.countDown();
            release.await(10, TimeUnit.SECONDS);
            return new MockResponse().setResponseCode(503);
          }
        });
    ExecutorService callbacks = Executors.newSingleThreadExecutor();
    try {
      client = builder().callbackExecutor(callbacks).build();
      CompletableFuture<?> f = client.batchOperateAsync(ONE);
      assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
      f.cancel(true);
      release.countDown();
      assertThat(f).isCancelled();
      // the call was cancelled: its 503 is never retried
      client.close();
      assertThat(server.getRequestCount()).isEqualTo(1);
    } finally {
      callbacks.shutdown();
    }
  }

  // ---- callDeadline from the moment a call is made

  private static void assertEndedByTheDeadline(Throwable t, long tookMillis) {
    assertThat(t)
        .isInstanceOf(TpnsTransportException.class)
        .hasMessageContaining("did not end within its callDeadline of PT2S");
    assertThat(((TpnsException) t).isRetryable()).isTrue();
    assertThat(tookMillis).isBetween(2_000L - 50, 2_000L + 1_000);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFirstAttemptThatGetsNoAnswerEndsAtTheDeadlineNotTheReadTimeout(Mode mode) {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    client =
        builder().callDeadline(Duration.ofSeconds(2)).build(); // read timeout 10 s, no callTimeout
    long start = System.nanoTime();
    Throwable t = call(mode);
    assertEndedByTheDeadline(t, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aServerTricklingItsAnswerEndsAtTheDeadline(Mode mode) {
    // a byte every 500 ms: the read timeout never trips
    StringBuilder body = new StringBuilder("{\"ret_code\":0,\"err_msg\":\"ok\",\"result\":[\"0\"]");
    for (int i = 0; i < 100; i++) {
      body.append(' ');
    }
    server.enqueue(
        new MockResponse().setBody(body + "}").throttleBody(1, 500, TimeUnit.MILLISECONDS));
    client = builder().callDeadline(Duration.ofSeconds(2)).build();
    long start = System.nanoTime();
    Throwable t = call(mode);
    assertEndedByTheDeadline(t, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Test
  void anAsyncCallQueuedBehindAFullDispatcherEndsAtItsDeadline() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    OkHttpClient http = onePerHost();
    try {
      client =
          builder()
              .okHttpClient(http)
              .callDeadline(Duration.ofSeconds(10))
              .build(); // the stuck call
      CompletableFuture<BatchOperateResult> stuck = client.batchOperateAsync(ONE);
      try (TpnsClient queued =
          builder().okHttpClient(http).callDeadline(Duration.ofSeconds(2)).build()) {
        long start = System.nanoTime();
        CompletableFuture<BatchOperateResult> behind = queued.batchOperateAsync(ONE);
        Throwable t = catchThrowable(() -> behind.get(30, TimeUnit.SECONDS));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(stuck).isNotDone(); // the dispatcher's one slot is still taken
        assertEndedByTheDeadline(t.getCause(), took);
        assertThat(t.getCause().getMessage()).contains("1 attempt");
      }
    } finally {
      http.dispatcher().executorService().shutdownNow();
    }
  }
}
