package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperation;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BulkOperateTest extends MockServerFixture {
  private final StubTpns stub = new StubTpns();

  /** Waits up to {@code millis} for {@code latch} inside a progress listener, which throws none. */
  private static boolean awaitInListener(CountDownLatch latch, long millis) {
    try {
      return latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code t0} .. {@code t(n-1)}. */
  private static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "t" + i).collect(Collectors.toList());
  }

  @BeforeEach
  void start() {
    server.setDispatcher(stub);
    client =
        builder().secretKey("s").retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
  }

  private static List<TokenAccounts> entries(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> TokenAccounts.of("t" + i, Account.of("u" + i)))
        .collect(Collectors.toList());
  }

  @Test
  void splitsIntoCallsOfAtMostTwentyInInputOrder() {
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(entries(45)).concurrency(1));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(45);
    assertThat(r.calls()).isEqualTo(3);
    assertThat(stub.calls).extracting(List::size).containsExactly(20, 20, 5);
    assertThat(stub.calls.stream().flatMap(List::stream)).containsExactlyElementsOf(tokens(45));
    assertThat(r.retryFailed().operation()).isEqualTo(BatchOperation.OVERWRITE);
  }

  @Test
  void sendsEveryOperation() {
    client.bulkOperate(BulkRequest.deleteAccounts(entries(3)));
    client.bulkOperate(BulkRequest.deleteAllForTokens(Arrays.asList("a", "b")));
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForAccounts(Arrays.asList(Account.of("x"), Account.of("y", 2))));
    assertThat(r.itemsSucceeded()).isEqualTo(2);
    assertThat(stub.calls)
        .containsExactly(
            Arrays.asList("t0", "t1", "t2"), Arrays.asList("a", "b"), Arrays.asList("x", "y"));
  }

  @Test
  void anEmptyInputSendsNothing() {
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(new ArrayList<>()));
    assertThat(r.calls()).isZero();
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void sendsARepeatedItemOncePerOccurrenceInDifferentCalls() {
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForTokens(Arrays.asList("a", "b", "a", "c")).concurrency(1));
    assertThat(r.itemsSucceeded()).isEqualTo(4);
    // the second "a" waits for the first one's call to end, and goes in the next call
    assertThat(stub.calls).containsExactly(Arrays.asList("a", "b", "c"), Arrays.asList("a"));
  }

  @Test
  void reportsPerItemFailuresInInputOrderAndRetriesOnlyThose() {
    stub.codeFor = key -> key.endsWith("7") ? "1008006" : null;
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(entries(60)).concurrency(4));
    assertThat(r.itemsSucceeded()).isEqualTo(54);
    assertThat(r.failures())
        .containsExactly(
            ItemResult.of("t7", "1008006"),
            ItemResult.of("t17", "1008006"),
            ItemResult.of("t27", "1008006"),
            ItemResult.of("t37", "1008006"),
            ItemResult.of("t47", "1008006"),
            ItemResult.of("t57", "1008006"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.isAllSuccess()).isFalse();

    stub.codeFor = key -> null;
    stub.calls.clear();
    BulkResult again = client.bulkOperate(r.retryFailed());
    assertThat(again.isAllSuccess()).isTrue();
    assertThat(again.itemsSucceeded()).isEqualTo(6);
    assertThat(stub.calls).containsExactly(Arrays.asList("t7", "t17", "t27", "t37", "t47", "t57"));
  }

  @Test
  void keepsTheFirstHundredWholeCallFailuresAndCountsThemAll() {
    client.close();
    client = builder().secretKey("s").maxRetries(0).build();
    AtomicInteger n = new AtomicInteger();
    // every other call fails as a whole: never 16 in a row, so the run goes on to the end
    stub.callAnswer =
        keys -> n.incrementAndGet() % 2 == 0 ? new MockResponse().setResponseCode(500) : null;
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(entries(10_000)).concurrency(1));
    assertThat(r.calls()).isEqualTo(500);
    assertThat(r.callsFailed()).isEqualTo(250);
    assertThat(r.errors()).hasSize(BulkResult.MAX_ERRORS_KEPT);
    assertThat(r.itemsSucceeded()).isEqualTo(5_000);
    assertThat(r.failures()).hasSize(5_000);
    assertThat(r.isAllSuccess()).isFalse();
    assertThat(r.toString()).contains("callsFailed=250");
  }

  @Test
  void listsTheItemsOfACallThatFailedAsAWhole() {
    stub.callAnswer =
        keys ->
            keys.contains("t25")
                ? new MockResponse().setBody("{\"ret_code\":1008007,\"err_msg\":\"bad\"}")
                : keys.contains("t45")
                    ? new MockResponse().setResponseCode(400).setBody("nope")
                    : null;
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(entries(50)));
    assertThat(r.itemsSucceeded()).isEqualTo(20);
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors()).anySatisfy(e -> assertThat(e).isInstanceOf(TpnsApiException.class));
    assertThat(r.errors()).anySatisfy(e -> assertThat(e).isInstanceOf(TpnsHttpException.class));
    assertThat(r.failures()).hasSize(30);
    assertThat(r.failures().subList(0, 20))
        .allSatisfy(f -> assertThat(f.code()).isEqualTo("1008007"));
    assertThat(r.failures().subList(20, 30)).allSatisfy(f -> assertThat(f.code()).isNull());
    assertThat(r.failures().get(0).key()).isEqualTo("t20");
    assertThat(r.toString()).contains("itemsSucceeded=20");
  }

  @Test
  void anInvalidItemStopsTheRunAfterTheCallsInFlight() {
    List<String> tokens =
        IntStream.range(0, 100).mapToObj(i -> i == 25 ? " " : "t" + i).collect(Collectors.toList());
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(tokens).concurrency(4)));
    assertThat(stop.getCause())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("index 25")
        .hasMessageContaining("blank");
    assertThat(stop.inputIndex()).isEqualTo(25);
    assertThat(stop.isRetryable()).isFalse();
    BulkResult partial = stop.partialResult();
    // the first call was handed out: a worker sent it, or it was taken back unsent
    assertThat(partial.itemsSucceeded()).isIn(0L, 20L);
    assertThat(stub.calls).hasSize((int) partial.itemsSucceeded() / 20);
    // read but not sent: failures without a code, so retryFailed() covers them
    List<String> unsent = tokens(25);
    assertThat(partial.failures())
        .extracting(ItemResult::key)
        .containsExactlyElementsOf(unsent.subList((int) partial.itemsSucceeded(), unsent.size()));
    assertThat(partial.failures()).allSatisfy(f -> assertThat(f.code()).isNull());
    stub.calls.forEach(c -> assertThat(c).hasSize(20).doesNotContain(" ", "t20"));
  }

  @Test
  void anInvalidFirstChunkSendsNothing() {
    List<Object> items = new ArrayList<>(entries(5));
    items.add(3, null);
    @SuppressWarnings("unchecked")
    List<TokenAccounts> withNull = (List<TokenAccounts>) (List<?>) items;
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.overwrite(withNull)));
    assertThat(stop.getCause())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("index 3 is null");
    assertThat(stop.inputIndex()).isEqualTo(3);
    assertThat(stop.partialResult().failures())
        .extracting(ItemResult::key)
        .containsExactly("t0", "t1", "t2");
    @SuppressWarnings("unchecked")
    List<TokenAccounts> wrongType = (List<TokenAccounts>) (List<?>) Arrays.asList("not an entry");
    assertThatThrownBy(() -> client.bulkOperate(BulkRequest.overwrite(wrongType)))
        .isInstanceOf(TpnsBulkStoppedException.class)
        .hasCauseInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("not a TokenAccounts");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aFailingInputStopsTheRun() {
    Iterable<String> broken =
        () ->
            new Iterator<String>() {
              int i;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public String next() {
                if (i == 30) {
                  throw new TpnsValidationException("row 31: no token");
                }
                return "t" + i++;
              }
            };
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () -> client.bulkOperate(BulkRequest.deleteAllForTokens(broken).concurrency(1)));
    // the caller's own exception, type kept
    assertThat(stop.getCause())
        .isExactlyInstanceOf(TpnsValidationException.class)
        .hasMessage("row 31: no token");
    assertThat(stop.inputIndex()).isEqualTo(30);
    assertThat(stop.getMessage()).contains("index 30");
    // the first call was handed out: a worker sent it, or it was taken back unsent
    long succeeded = stop.partialResult().itemsSucceeded();
    assertThat(succeeded).isIn(0L, 20L);
    assertThat(stop.partialResult().failures()).hasSize(30 - (int) succeeded);
    assertThat(stub.calls).hasSize((int) succeeded / 20);
  }

  @Test
  void readsTheInputLazily() {
    AtomicLong read = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    Iterable<String> lazy =
        () ->
            IntStream.range(0, 2_000)
                .mapToObj(
                    i -> {
                      read.incrementAndGet();
                      return "t" + i;
                    })
                .iterator();
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForTokens(lazy)
                .concurrency(3)
                .onProgress(
                    (items, calls) -> maxAhead.accumulateAndGet(read.get() - items, Math::max)));
    assertThat(r.itemsSucceeded()).isEqualTo(2_000);
    // never more read than the calls handed out (3 on the wire, 3 ready: 6 x 20) plus the chunk
    // being read
    assertThat(maxAhead.get()).isLessThanOrEqualTo(BulkFlow.inFlightMax(3) * 20 + 20);
  }

  @Test
  void reportsProgressAfterEveryCall() {
    List<long[]> seen = new ArrayList<>();
    BulkResult r =
        client.bulkOperate(
            BulkRequest.overwrite(entries(95))
                .concurrency(3)
                .onProgress((items, calls) -> seen.add(new long[] {items, calls})));
    assertThat(seen).hasSize(5);
    assertThat(seen.get(4)).containsExactly(95, 5);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)[0]).isGreaterThan(seen.get(i - 1)[0]);
      assertThat(seen.get(i)[1]).isEqualTo(seen.get(i - 1)[1] + 1);
    }
    assertThat(r.calls()).isEqualTo(5);
  }

  @Test
  void aThrowingProgressListenerStopsTheRun() {
    AtomicInteger seen = new AtomicInteger();
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            TpnsBulkStoppedException.class,
            () ->
                client.bulkOperate(
                    BulkRequest.overwrite(entries(100))
                        .concurrency(1)
                        .onProgress(
                            (i, c) -> {
                              if (seen.incrementAndGet() == 2) {
                                throw new StackOverflowError("broken bar");
                              }
                            })));
    assertThat(stop.getCause()).isInstanceOf(StackOverflowError.class);
    // the third call may have been handed out before the second answer came: a worker may have
    // sent it (counted), or it is taken back unsent (a failure without a code); nothing more is
    // read
    assertThat(stop.inputIndex()).isIn(40L, 60L);
    BulkResult partial = stop.partialResult();
    assertThat(partial.itemsSucceeded()).isEqualTo(stub.calls.size() * 20L).isGreaterThan(20);
    assertThat(partial.itemsSucceeded() + partial.failures().size()).isEqualTo(stop.inputIndex());
    assertThat(partial.failures()).allSatisfy(f -> assertThat(f.code()).isNull());
  }

  @Test
  void keepsAtMostConcurrencyCallsInFlight() {
    stub.latencyMillis = 40;
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(400)).concurrency(6));
    assertThat(r.itemsSucceeded()).isEqualTo(400);
    assertThat(stub.peak.get()).isEqualTo(6);
  }

  @Test
  void aCallersOkHttpClientKeepsTheRunsConcurrencyAboveItsHostLimit() {
    // OkHttp's default dispatcher allows 5 requests per host; a run's workers are not its queue
    okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
    client.close();
    client = builder().secretKey("s").okHttpClient(http).build();
    stub.latencyMillis = 40;
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(400)).concurrency(8));
    assertThat(r.itemsSucceeded()).isEqualTo(400);
    assertThat(stub.peak.get()).isEqualTo(8);
    http.dispatcher().executorService().shutdown();
  }

  @Test
  void noCallStartsWhileTheProgressListenerRuns() throws Exception {
    // concurrency 2: A1 and A2 on the wire, B1 and B2 ready. A1 answers at once, and its worker
    // takes B1; A2 answers 100 ms later, while the caller's code still runs for A1: A2's worker may
    // not take B2 until it returns
    CountDownLatch b2Sent = stub.slowExceptTheCallOf("t0", 100, "t60");
    AtomicInteger seen = new AtomicInteger();
    boolean[] sentWhileListening = new boolean[1];
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForTokens(tokens(100))
                .concurrency(2)
                .onProgress(
                    (items, calls) -> {
                      if (seen.incrementAndGet() == 1) {
                        sentWhileListening[0] = awaitInListener(b2Sent, 400);
                      }
                    }));
    assertThat(r.itemsSucceeded()).isEqualTo(100);
    assertThat(sentWhileListening[0]).isFalse();
    assertThat(b2Sent.getCount()).isZero(); // sent once the listener returned
  }

  @Test
  void aCallsDeadlineCountsFromWhenAWorkerTakesItNotWhileItWaitsReady() {
    // concurrency 2: A1 answers at once, A2 100 ms later, while A1's listener runs for 1.5 s: B2
    // waits ready all that time, longer than the call deadline of 1 s, and is sent afterwards
    client.close();
    client = builder().secretKey("s").callDeadline(Duration.ofSeconds(1)).build();
    stub.slowExceptTheCallOf("t0", 100, "t60");
    AtomicInteger seen = new AtomicInteger();
    BulkResult r =
        client.bulkOperate(
            BulkRequest.deleteAllForTokens(tokens(100))
                .concurrency(2)
                .onProgress(
                    (items, calls) -> {
                      if (seen.incrementAndGet() == 1) {
                        awaitInListener(new CountDownLatch(1), 1_500); // slow code
                      }
                    }));
    assertThat(r.failures()).isEmpty();
    assertThat(r.itemsSucceeded()).isEqualTo(100);
  }

  @Test
  void everyCallStartsOnTheCallersThreadSoThatItsObservationHasTheCallersParent() {
    List<Thread> started = java.util.Collections.synchronizedList(new ArrayList<>());
    client.close();
    client =
        builder()
            .secretKey("s")
            .eventListener(
                new TpnsEventListener() {
                  @Override
                  public void callStarted(CallStarted event) {
                    started.add(Thread.currentThread());
                  }
                })
            .build();
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(400)).concurrency(4));
    assertThat(r.itemsSucceeded()).isEqualTo(400);
    assertThat(started).hasSize(20).allMatch(t -> t == Thread.currentThread());
  }

  @Test
  void resendsARateLimitedChunkOnceInsteadOfRetryingItPerCall() {
    // a timeout under load is retried, and the server then counts one request more: count those
    AtomicInteger noAnswer = new AtomicInteger();
    client.close();
    client =
        builder()
            .secretKey("s")
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .eventListener(
                new TpnsEventListener() {
                  @Override
                  public void attemptEnded(AttemptEnded event) {
                    if (event.isIoFailure()) {
                      noAnswer.incrementAndGet();
                    }
                  }
                })
            .build();
    stub.latencyMillis = 20;
    AtomicInteger limited = new AtomicInteger();
    stub.callAnswer =
        keys ->
            stub.calls.size() >= 10 && limited.getAndIncrement() == 0
                ? new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}")
                : null;
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(400)).concurrency(8));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(400);
    assertThat(r.calls()).isEqualTo(20);
    assertThat(server.getRequestCount()).isBetween(21, 21 + noAnswer.get());
    assertThat(stub.peak.get()).isLessThanOrEqualTo(8);
  }

  @Test
  void aChunkRateLimitedMoreOftenThanMaxRetriesIsStillSentUntilItIsServed() {
    AtomicInteger limited = new AtomicInteger();
    stub.callAnswer =
        keys ->
            keys.contains("t0") && limited.getAndIncrement() < 5
                ? new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}")
                : null;
    client =
        builder().maxRetries(0).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4)).build();
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens(40)));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(40);
    assertThat(r.errors()).isEmpty();
    assertThat(stub.calls.stream().filter(k -> k.contains("t0")).count()).isEqualTo(6);
  }

  @Test
  void aChunkRateLimitedForeverEndsTheRunOnceNothingElseSucceedsForRateLimitTimeout() {
    stub.callAnswer =
        keys ->
            keys.contains("t0")
                ? new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}")
                : null;
    client =
        builder()
            .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
            .rateLimitTimeout(Duration.ofMillis(300))
            .build();
    TpnsBulkStoppedException stop =
        catchThrowableOfType(
            () ->
                client.bulkOperate(
                    BulkRequest.deleteAllForTokens(
                        IntStream.range(0, 40)
                            .mapToObj(i -> "t" + i)
                            .collect(Collectors.toList()))),
            TpnsBulkStoppedException.class);
    assertThat(stop.getCause()).hasMessageContaining("rateLimitTimeout");
    BulkResult r = stop.partialResult();
    assertThat(r.itemsSucceeded()).isEqualTo(20);
    assertThat(r.failures()).hasSize(20).allSatisfy(f -> assertThat(f.code()).isEqualTo("1008028"));
    assertThat(stop.inputIndex()).isEqualTo(40);
  }

  @Test
  void validatesTheBulkRequest() {
    assertThatThrownBy(() -> BulkRequest.overwrite(null))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> BulkRequest.deleteAllForTokens(List.of()).concurrency(0))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("concurrency is 0");
    assertThatThrownBy(() -> BulkRequest.deleteAllForTokens(List.of()).concurrency(65))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> BulkRequest.deleteAllForTokens(List.of()).onProgress(null))
        .isInstanceOf(TpnsValidationException.class);
    BulkRequest r = BulkRequest.deleteAllForTokens(List.of("a"));
    assertThat(r.concurrency(9)).isNotSameAs(r);
    assertThat(r.concurrency(9).maxCallsInFlight()).isEqualTo(9);
    assertThat(r.maxCallsInFlight()).isEqualTo(4);
    assertThatThrownBy(() -> client.bulkOperate(null)).isInstanceOf(TpnsValidationException.class);
  }
}
