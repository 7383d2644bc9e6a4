package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each way a bulk run stops: the stop's cause, its input index and its exact partial result. */
class BulkStopTest extends MockServerFixture {
  private final StubTpns stub = new StubTpns();

  @BeforeEach
  void start() {
    server.setDispatcher(stub);
    client = builder().build();
  }

  @Override
  TpnsClient.Builder builder() {
    return super.builder().secretKey("s").retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  private static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "t" + i).collect(Collectors.toList());
  }

  /** Closes the client and returns the run's stop, which must come within a second. */
  private TpnsBulkStoppedException closeAndAwaitStop(Background run) throws InterruptedException {
    long closedAt = System.nanoTime();
    client.close();
    assertThat(run.join(5_000)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt)).isLessThan(1_000);
    assertThat(run.thrown).isInstanceOf(TpnsBulkStoppedException.class);
    return (TpnsBulkStoppedException) run.thrown;
  }

  /** Every item before inputIndex is in the partial result, and none from it on was sent. */
  private void assertResumable(TpnsBulkStoppedException stop, List<String> input) {
    BulkResult partial = stop.partialResult();
    Set<String> sent = new HashSet<>();
    stub.calls.forEach(sent::addAll);
    for (int i = (int) stop.inputIndex(); i < input.size(); i++) {
      assertThat(sent).as("item %d sent after the stop", i).doesNotContain(input.get(i));
    }
    assertThat(partial.itemsSucceeded() + partial.failures().size())
        .as("every item before inputIndex accounted for exactly once")
        .isEqualTo(stop.inputIndex());
    List<String> failedKeys =
        partial.failures().stream().map(ItemResult::key).collect(Collectors.toList());
    assertThat(new HashSet<>(failedKeys)).hasSize(failedKeys.size());
    List<Object> retry = new ArrayList<>();
    partial.retryFailed().input().forEach(retry::add);
    assertThat(retry).containsExactlyElementsOf(failedKeys);
  }

  @Test
  void closingTheClientEndsARunningRunAndCancelsItsCalls() throws Exception {
    CountDownLatch inFlight = new CountDownLatch(4);
    stub.latencyMillis = 30_000;
    stub.onCall = keys -> inFlight.countDown();
    List<String> input = tokens(1000);
    Background run =
        inBackground(
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(4)));
    assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
    TpnsBulkStoppedException stop = closeAndAwaitStop(run);
    assertThat(stop.getCause()).isExactlyInstanceOf(TpnsClientClosedException.class);
    assertThat(stop.getCause().getMessage()).contains("closed");
    // 4 calls on the wire and 4 ready, none answered
    assertThat(stop.inputIndex()).isEqualTo(BulkFlow.inFlightMax(4) * 20);
    assertThat(stop.partialResult().failures())
        .hasSize(BulkFlow.inFlightMax(4) * 20)
        .allSatisfy(f -> assertThat(f.code()).isNull());
    assertResumable(stop, input);
    stub.latencyMillis = 0; // let MockWebServer shut down
  }

  @Test
  void closingTheClientEndsARunPausedByARateLimit() throws Exception {
    CountDownLatch limited = new CountDownLatch(1);
    stub.callAnswer =
        keys -> {
          limited.countDown();
          return new MockResponse()
              .setHeader("Retry-After", "50")
              .setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}");
        };
    List<String> input = tokens(100);
    Background run =
        inBackground(
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(1)));
    assertThat(limited.await(10, TimeUnit.SECONDS)).isTrue();
    while (run.thread.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait(); // paused
    }
    TpnsBulkStoppedException stop = closeAndAwaitStop(run);
    assertThat(stop.getCause().getMessage()).contains("closed");
    // the rate-limited chunk and the one ready beside it, taken back: never answered
    assertThat(stop.inputIndex()).isEqualTo(40);
    assertThat(stop.partialResult().failures()).hasSize(40);
    assertThat(server.getRequestCount()).isEqualTo(1); // the paused run sent nothing more
    assertResumable(stop, input);
  }

  @Test
  void refusedCredentialsStopTheRunAtOnce() {
    stub.callAnswer =
        keys ->
            new MockResponse()
                .setBody("{\"ret_code\":1008003,\"err_msg\":\"authentication failed\"}");
    List<String> input = tokens(10_000);
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(1)));
    assertThat(stop.getCause()).isInstanceOf(TpnsAuthenticationException.class);
    assertThat(stop.isRetryable()).isFalse();
    // the worker whose call was refused takes no other: the call ready beside it (concurrency 1:
    // one on the wire, one ready) is never sent, and nothing more is read
    assertThat(stop.inputIndex()).isEqualTo(40);
    assertThat(stop.partialResult().errors()).hasSize(1);
    assertThat(stop.partialResult().failures()).hasSize(40);
    assertThat(stop.partialResult().failures().subList(0, 20))
        .allSatisfy(f -> assertThat(f.code()).isEqualTo("1008003"));
    assertThat(stop.partialResult().failures().subList(20, 40))
        .allSatisfy(f -> assertThat(f.code()).isNull());
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(stop.partialResult().calls()).isEqualTo(1); // the one taken back was not a call
    assertResumable(stop, input);
  }

  @Test
  void an401WithoutATpnsBodyAndAnUnavailableAppStopTheRunToo() {
    stub.callAnswer = keys -> new MockResponse().setResponseCode(401).setBody("who are you");
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(100)).concurrency(1)));
    assertThat(stop.getCause()).isInstanceOf(TpnsHttpException.class);
    stub.callAnswer =
        keys -> new MockResponse().setBody("{\"ret_code\":1008030,\"err_msg\":\"unpaid\"}");
    stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(100)).concurrency(1)));
    assertThat(stop.getCause()).isInstanceOf(TpnsAppUnavailableException.class);
    assertThat(stop.inputIndex()).isEqualTo(40); // one call on the wire, one ready
  }

  @Test
  void anOutageStopsAfterSixteenWholeCallFailuresInARow() {
    stub.callAnswer = keys -> new MockResponse().setResponseCode(500).setBody("down");
    List<String> input = tokens(1_000_000);
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(4)));
    assertThat(stop.getCause()).isInstanceOf(TpnsHttpException.class);
    assertThat(stop.isRetryable()).isTrue();
    // 16 failed in a row, plus what was handed out then; never the whole input
    assertThat(stop.partialResult().errors().size()).isBetween(16, 16 + BulkFlow.inFlightMax(4));
    // every call read was sent, or taken back unsent (not counted as a call)
    assertThat(stop.inputIndex())
        .isBetween(
            stop.partialResult().calls() * 20L,
            (stop.partialResult().calls() + BulkFlow.inFlightMax(4)) * 20L);
    assertResumable(stop, input);
    // at most 3 attempts per call (maxRetries 2), and no more retries than the run's budget
    int calls = stop.partialResult().calls();
    assertThat(server.getRequestCount())
        .isBetween(calls, Math.min(calls * 3, calls + RetryBudget.forRun(4).available()));
  }

  @Test
  void fifteenFailuresThenASuccessDoNotStopTheRun() {
    // every 16th call succeeds, the others fail as a whole (400: not retried)
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    stub.callAnswer =
        keys ->
            calls.incrementAndGet() % 16 == 0
                ? null
                : new MockResponse().setResponseCode(400).setBody("no");
    BulkResult r =
        client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(20 * 64)).concurrency(1));
    assertThat(r.calls()).isEqualTo(64);
    assertThat(r.itemsSucceeded()).isEqualTo(4 * 20);
  }

  @Test
  void anErrorOnACallbackThreadStopsTheRunInsteadOfHanging() {
    OkHttpClient callers =
        new OkHttpClient.Builder()
            .addNetworkInterceptor(
                chain -> {
                  if (chain.request().url().toString().contains("batchoperate")
                      && stub.calls.size() >= 3) {
                    throw new OutOfMemoryError("simulated, on an OkHttp thread");
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    client.close();
    client = builder().okHttpClient(callers).build();
    List<String> input = tokens(2_000);
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(1)));
    assertThat(stop.getCause()).isInstanceOf(OutOfMemoryError.class);
    // the fifth call may have been handed out before the fourth failed: it is sent, and fails
    assertThat(stop.inputIndex()).isIn(80L, 100L);
    assertThat(stop.partialResult().itemsSucceeded()).isEqualTo(60);
    assertResumable(stop, input);
  }

  @Test
  void anOkHttpClientWhoseExecutorIsShutDownStopsTheRunAtOnce() {
    OkHttpClient http = new OkHttpClient();
    http.dispatcher().executorService().shutdown();
    client.close();
    client = builder().okHttpClient(http).build();
    List<String> input = tokens(1_000);
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(4)));
    assertThat(stop.getCause())
        .isInstanceOf(TpnsException.class)
        .hasMessageContaining("executor refused")
        .hasMessageContaining("not sent");
    assertThat(stop.partialResult().itemsSucceeded()).isZero();
    assertThat(stop.inputIndex()).isLessThanOrEqualTo(BulkFlow.inFlightMax(4) * 20);
    assertThat(server.getRequestCount()).isZero();
    assertResumable(stop, input);
  }

  @Test
  void aThrowingIteratorMethodStopsBeforeAnythingIsSent() {
    Iterable<String> broken =
        () -> {
          throw new IllegalStateException("no cursor");
        };
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(broken)));
    assertThat(stop.getCause()).hasMessage("no cursor");
    assertThat(stop.inputIndex()).isZero();
    assertThat(stop.partialResult().calls()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void deleteAllForAccountsTellsApartTheSameNameUnderTwoTypes() {
    stub.codeFor = key -> "1008006";
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForAccounts(
                Arrays.asList(Account.of("alice", 1), Account.of("alice", 1005))));
    assertThat(r.failures()).hasSize(2);
    assertThat(r.failures())
        .extracting(f -> f.account().orElseThrow())
        .containsExactly(Account.of("alice", 1), Account.of("alice", 1005));
    assertThat(r.failures().get(0)).isNotEqualTo(r.failures().get(1));
    List<Object> retry = new ArrayList<>();
    r.retryFailed().input().forEach(retry::add);
    assertThat(retry).containsExactly(Account.of("alice", 1), Account.of("alice", 1005));
  }
}
