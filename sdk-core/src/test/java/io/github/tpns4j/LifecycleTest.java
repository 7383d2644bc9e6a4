package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract's "Lifecycle and timing" rules, each on the sync and the async path. */
class LifecycleTest extends MockServerFixture {
  private static final BatchOperateRequest ONE =
      BatchOperateRequest.overwrite(TokenAccounts.of("token1", Account.of("a")));
  private static final String SUCCESS =
      "{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[\"0\"]}";

  /** How a test calls the client: the same rules hold for both. */
  enum Mode {
    SYNC {
      @Override
      BatchOperateResult call(TpnsClient c, BatchOperateRequest r) {
        return c.batchOperate(r);
      }
    },
    ASYNC {
      @Override
      BatchOperateResult call(TpnsClient c, BatchOperateRequest r) throws Exception {
        try {
          return c.batchOperateAsync(r).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw (Exception) e.getCause();
        }
      }
    };

    abstract BatchOperateResult call(TpnsClient c, BatchOperateRequest r) throws Exception;

    TpnsException failure(TpnsClient c, BatchOperateRequest r) {
      Throwable t = catchThrowable(() -> call(c, r));
      assertThat(t).isInstanceOf(TpnsException.class);
      return (TpnsException) t;
    }
  }

  /** Every answer waits for the returned latch (at most 10 s), then succeeds. */
  private CountDownLatch holdAnswersUntilReleased() {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(10, TimeUnit.SECONDS);
            return ok();
          }
        });
    return release;
  }

  private static MockResponse ok() {
    return new MockResponse().setBody(SUCCESS);
  }

  // ---- timeouts

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExpiredCallTimeoutIsARetryableTimeoutAndIsRetried(Mode mode) throws Exception {
    server.enqueue(ok().setHeadersDelay(2, TimeUnit.SECONDS));
    server.enqueue(ok());
    client = builder().callTimeout(Duration.ofMillis(300)).build();
    BatchOperateResult r = mode.call(client, ONE);
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallTimeoutThatKeepsExpiringEndsAsRetryableTimeout(Mode mode) {
    server.enqueue(ok().setHeadersDelay(2, TimeUnit.SECONDS));
    client = builder().maxRetries(0).callTimeout(Duration.ofMillis(200)).build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsTransportException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out").doesNotContain("cancel");
  }

  @Test
  void callTimeoutIsOffByDefault() {
    client = builder().build();
    // A slow answer is only bounded by connect/read timeouts, not by a whole-call deadline.
    server.enqueue(ok().setBodyDelay(1500, TimeUnit.MILLISECONDS));
    assertThat(client.batchOperate(ONE).isAllSuccess()).isTrue();
  }

  @Test
  void onlyCancellingTheFutureIsACancellation() throws Exception {
    server.enqueue(ok().setHeadersDelay(2, TimeUnit.SECONDS));
    client = builder().build();
    CompletableFuture<BatchOperateResult> f = client.batchOperateAsync(ONE);
    server.takeRequest();
    f.cancel(true);
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
  }

  // ---- not retried: TLS failures (an interrupt: TpnsClientTest)

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTlsHandshakeFailureIsNotRetried(Mode mode) throws Exception {
    // A plain-HTTP server on an https URL: it answers the TLS hello with an HTTP error page.
    try (RawServer plain = new RawServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
      client = builder().baseUrl(plain.url("https")).build();
      TpnsException e = mode.failure(client, ONE);
      assertThat(e).isInstanceOf(TpnsTransportException.class);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.getMessage()).contains("TLS");
      assertThat(plain.accepted()).isEqualTo(1);
    }
  }

  // ---- close()

  @Test
  void closeFailsQueuedAsyncCallsAsClosedNotAsRetryableTimeouts() throws Exception {
    CountDownLatch release = holdAnswersUntilReleased();
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(4);
    d.setMaxRequestsPerHost(4);
    client = builder().okHttpClient(new OkHttpClient.Builder().dispatcher(d).build()).build();
    List<CompletableFuture<BatchOperateResult>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client.batchOperateAsync(ONE));
    }
    while (server.getRequestCount() < 4) {
      server.takeRequest(); // wait until four are on the wire
    }
    client.close();
    int closedCount = 0;
    for (CompletableFuture<BatchOperateResult> f : futures.subList(4, futures.size())) {
      assertThat(f).isCompletedExceptionally(); // at once, not when the dispatcher frees up
      Throwable t = catchThrowable(f::join).getCause();
      assertThat(t)
          .isExactlyInstanceOf(TpnsClientClosedException.class)
          .hasMessageContaining("closed");
      assertThat(((TpnsException) t).isRetryable()).isFalse();
      closedCount++;
    }
    assertThat(closedCount).isEqualTo(196);
    release.countDown();
    for (CompletableFuture<BatchOperateResult> f : futures.subList(0, 4)) {
      assertThat(f.get(10, TimeUnit.SECONDS).isAllSuccess()).isTrue(); // on the wire: finish
    }
    // Nothing queued in the caller's dispatcher reaches the server after close().
    d.executorService().shutdown();
    assertThat(d.executorService().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void closeWithItsOwnClientFailsQueuedCallsAsClosed() throws Exception {
    CountDownLatch release = holdAnswersUntilReleased();
    client = builder().build();
    List<CompletableFuture<BatchOperateResult>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client.batchOperateAsync(ONE));
    }
    server.takeRequest();
    client.close();
    release.countDown();
    long closedCount = 0;
    for (CompletableFuture<BatchOperateResult> f : futures) {
      Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
      if (t != null) {
        assertThat(t.getCause()).isExactlyInstanceOf(TpnsClientClosedException.class);
        assertThat(((TpnsException) t.getCause()).isRetryable()).isFalse();
        closedCount++;
      }
    }
    assertThat(closedCount).isEqualTo(200 - server.getRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void closeWakesACallWaitingOutARetryAfter(Mode mode) throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "8"));
    client = builder().build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                mode.call(client, ONE);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    server.takeRequest();
    waitUntilWaiting(caller, mode);
    long closedAt = System.nanoTime();
    client.close();
    caller.join(5_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt)).isLessThan(2_000);
    assertThat(thrown.get())
        .isExactlyInstanceOf(TpnsClientClosedException.class)
        .hasMessageContaining("closed");
    assertThat(((TpnsException) thrown.get()).isRetryable()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  private void waitUntilWaiting(Thread caller, Mode mode) {
    // The sync caller parks in its backoff; the async one's future waits on its own.
    while (caller.getState() != Thread.State.TIMED_WAITING
        && caller.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    if (mode == Mode.ASYNC) {
      while (!client.calls().lifecycle.scheduler().hasThread()) {
        Thread.onSpinWait();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallOnTheWireWhenTheClientClosesStillEndsAtItsDeadline(Mode mode) throws Exception {
    CountDownLatch release = holdAnswersUntilReleased(); // the answer comes after 10 s
    try {
      client = builder().maxRetries(0).callDeadline(Duration.ofSeconds(2)).build();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread caller = new Thread(() -> thrown.set(catchThrowable(() -> mode.call(client, ONE))));
      long start = System.nanoTime();
      caller.start();
      assertThat(server.takeRequest(10, TimeUnit.SECONDS)).as("on the wire").isNotNull();
      assumeTrue(
          System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500),
          "the machine took too long to send the call: it would end by its deadline before close()");
      client.close(); // calls on the wire finish: by their answer, or by their deadline
      caller.join(5_000);
      assertThat(caller.isAlive()).as("ended at its deadline, not when the answer came").isFalse();
      assertThat(thrown.get())
          .isInstanceOf(TpnsTransportException.class)
          .hasMessageContaining("did not end within its callDeadline of PT2S");
      RetryScheduler timer = client.calls().lifecycle.scheduler();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // less than its idle time
      while (timer.hasThread() && System.nanoTime() - until < 0) {
        Thread.onSpinWait();
      }
      assertThat(timer.hasThread()).as("the timer ends once the last call has").isFalse();
    } finally {
      release.countDown();
    }
  }

  // ---- threads

  @Test
  void theRetryThreadIsADaemonThatEndsWhenIdleAndCancellingDropsTheRetry() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "20"));
    client = builder().build();
    CompletableFuture<BatchOperateResult> f = client.batchOperateAsync(ONE);
    server.takeRequest();
    Thread timer = null;
    while (timer == null) {
      timer = findThread("tpns4j-retry-timer");
    }
    assertThat(timer.isDaemon()).isTrue();
    assertThat(timer.getContextClassLoader()).isNull();
    f.cancel(true);
    // The cancelled retry is dropped, so the thread has nothing left and ends when idle.
    timer.join(TimeUnit.SECONDS.toMillis(RetryScheduler.IDLE_SECONDS + 20));
    assertThat(timer.isAlive()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  private static Thread findThread(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }

  // ---- only tpns4j decides about retries

  @ParameterizedTest
  @EnumSource(Mode.class)
  void a503WithRetryAfterZeroIsOneRequestUnderMaxRetriesZero(Mode mode) {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
    server.enqueue(ok());
    client = builder().maxRetries(0).build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsHttpException.class);
    assertThat(e.retryAfter()).contains(Duration.ZERO);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHugeRetryAfterFailsAtOnceWithoutAnUnexpectedException(Mode mode) {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "99999999999"));
    client = builder().build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsHttpException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(99999999999L));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void twoContinueLinesEndTheCallWithATpnsException(Mode mode) throws Exception {
    try (RawServer weird =
        new RawServer(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: "
                + SUCCESS.length()
                + "\r\n\r\n"
                + SUCCESS)) {
      client = builder().baseUrl(weird.url("http")).maxRetries(0).build();
      Throwable t = catchThrowable(() -> mode.call(client, ONE));
      // OkHttp 4 throws IllegalStateException inside: it must come out as a TpnsException.
      if (t != null) {
        assertThat(t).isInstanceOf(TpnsException.class);
        assertThat(((TpnsException) t).isRetryable()).isFalse();
      }
      assertThat(weird.accepted()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anErrorInsideOkHttpCompletesTheCallWithATpnsExceptionAndNothingEscapes(Mode mode)
      throws Exception {
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    OkHttpClient callers =
        new OkHttpClient.Builder()
            .addNetworkInterceptor(
                chain -> {
                  throw new OutOfMemoryError("thrown inside OkHttp's chain");
                })
            .build();
    try {
      client = builder().okHttpClient(callers).build();
      TpnsException e = mode.failure(client, ONE);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasRootCauseInstanceOf(OutOfMemoryError.class);
      // let the dispatcher's threads finish what they were doing, then look for escapes
      callers.dispatcher().executorService().shutdown();
      assertThat(callers.dispatcher().executorService().awaitTermination(10, TimeUnit.SECONDS))
          .isTrue();
      assertThat(uncaught).isEmpty();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryingForeverKeepsABoundedNumberOfEarlierFailures(Mode mode) {
    for (int i = 0; i < 40; i++) {
      server.enqueue(new MockResponse().setResponseCode(503));
    }
    server.enqueue(new MockResponse().setResponseCode(400));
    client =
        builder().maxRetries(Integer.MAX_VALUE).retryBackoff(Duration.ZERO, Duration.ZERO).build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsHttpException.class);
    assertThat(((TpnsHttpException) e).httpStatus()).isEqualTo(400);
    assertThat(server.getRequestCount()).isEqualTo(41);
    assertThat(e.getSuppressed()).hasSizeLessThanOrEqualTo(FailureLog.KEPT).isNotEmpty();
  }

  // ---- answers read up to 1 MiB

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAnswerOverOneMebibyteIsAProtocolFailureWithoutReadingTheRest(Mode mode) {
    StringBuilder big = new StringBuilder("{\"ret_code\":0,\"pad\":\"");
    while (big.length() < 3 * 1024 * 1024) {
      big.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }
    server.enqueue(ok().setBody(big.append("\"}").toString()));
    client = builder().build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsProtocolException.class).hasMessageContaining("larger than");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aGzipBombIsRefusedByItsInflatedSize(Mode mode) throws IOException {
    Buffer gz = new Buffer();
    try (GZIPOutputStream out = new GZIPOutputStream(gz.outputStream())) {
      byte[] zeros = new byte[64 * 1024];
      for (int i = 0; i < 64; i++) { // 4 MiB of zeros, about 4 KiB compressed
        out.write(zeros);
      }
    }
    server.enqueue(ok().setHeader("Content-Encoding", "gzip").setBody(gz));
    client = builder().build();
    TpnsException e = mode.failure(client, ONE);
    assertThat(e).isInstanceOf(TpnsProtocolException.class).hasMessageContaining("larger than");
  }

  // ---- credentials never in messages; server text bounded

  @ParameterizedTest
  @EnumSource(Mode.class)
  void echoedCredentialsAreMaskedInMessages(Mode mode) throws Exception {
    for (AuthMode auth : AuthMode.values()) {
      for (int status : new int[] {401, 500, 200}) {
        server.setDispatcher(echo(status));
        TpnsClient c = builder().authMode(auth).maxRetries(0).build();
        try {
          TpnsException e = mode.failure(c, ONE);
          RecordedRequest sent = server.takeRequest();
          assertNoSecret(e.getMessage(), sent);
        } finally {
          c.close();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anEchoedErrMsgIsMaskedAndQuotedAtMost200Characters(Mode mode) throws Exception {
    StringBuilder longText = new StringBuilder();
    while (longText.length() < 500_000) {
      longText.append("server says no. ");
    }
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String echoed = "Sign=" + r.getHeader("Sign") + " secret=" + SECRET + " " + longText;
            return new MockResponse()
                .setBody("{\"ret_code\":1008007,\"err_msg\":\"" + echoed + "\"}");
          }
        });
    client = builder().build();
    TpnsApiException e = (TpnsApiException) mode.failure(client, ONE);
    RecordedRequest sent = server.takeRequest();
    assertThat(e.getMessage().length()).isLessThan(1_000);
    assertNoSecret(e.getMessage(), sent);
    assertNoSecret(e.errMsg(), sent);
    assertThat(e.errMsg()).endsWith(longText.toString());
  }

  /** Hostile 2xx bodies that echo the request's Sign with much more server text around it. */
  enum HostileBody {
    NON_NUMERIC_RET_CODE("{\"ret_code\":\"%s %s\",\"err_msg\":\"x\"}"),
    NOT_JSON("%s not json at all %s"),
    TEXT_PAGE("<html><body>%s gateway page %s</body></html>"),
    HUGE_NUMBER("{\"ret_code\":9%2$s9%1$s}"),
    BAD_ACCOUNT(
        "{\"retCode\":0,\"token_accounts\":[{\"token\":\"t\",\"account_list\":"
            + "[{\"account\":\"%s\",\"account_type\":-%s}]}]}");

    final String format;

    HostileBody(String format) {
      this.format = format;
    }
  }

  @ParameterizedTest
  @EnumSource(HostileBody.class)
  void noThrowableInTheChainQuotesServerTextBeyond200CharactersOrTheSign(HostileBody body)
      throws Exception {
    String filler = repeat('Q', 5_000);
    String digits = repeat('7', 5_000);
    server.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String fill = body == HostileBody.HUGE_NUMBER ? digits : filler;
            String echoed = r.getHeader("Sign") + " " + fill;
            return new MockResponse()
                .setBody(String.format(body.format, echoed, fill).replace("%", ""));
          }
        });
    for (Mode mode : Mode.values()) {
      client = builder().maxRetries(0).build();
      TpnsException e =
          body == HostileBody.BAD_ACCOUNT ? failureOfQuery(mode) : mode.failure(client, ONE);
      RecordedRequest sent = server.takeRequest();
      assertThat(e).isInstanceOf(TpnsProtocolException.class);
      assertChainClean(e, sent, filler, digits);
      client.close();
    }
  }

  @Test
  void aStatusLineThatQuotesTheServerIsBoundedInEveryCause() throws Exception {
    String filler = repeat('Q', 5_000);
    try (RawServer raw = new RawServer("HTTP/1.1 2x0 " + filler + "\r\n\r\n")) {
      for (Mode mode : Mode.values()) {
        client = builder().baseUrl(raw.url("http")).maxRetries(0).build();
        TpnsException e = mode.failure(client, ONE);
        assertChainClean(e, null, filler, filler);
        client.close();
      }
    }
  }

  private TpnsException failureOfQuery(Mode mode) {
    io.github.tpns4j.account.AccountQueryRequest q =
        io.github.tpns4j.account.AccountQueryRequest.accountsOfTokens("t");
    Throwable t =
        catchThrowable(
            () -> {
              if (mode == Mode.SYNC) {
                client.queryAccounts(q);
              } else {
                try {
                  client.queryAccountsAsync(q).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                  throw x.getCause();
                }
              }
            });
    assertThat(t).isInstanceOf(TpnsException.class);
    return (TpnsException) t;
  }

  /** Every message reachable from {@code e}: no Sign, no secret, at most 200 chars of fillers. */
  private static void assertChainClean(
      Throwable e, RecordedRequest sent, String filler, String digits) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.add(e);
    int checked = 0;
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      checked++;
      String text = String.valueOf(t.getMessage()) + " " + t;
      if (sent != null) {
        assertNoSecret(text, sent);
      }
      assertThat(text)
          .doesNotContain(filler.substring(0, 201))
          .doesNotContain(digits.substring(0, 201));
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
    }
    assertThat(checked).isPositive();
  }

  private static String repeat(char c, int n) {
    char[] a = new char[n];
    java.util.Arrays.fill(a, c);
    return new String(a);
  }

  private static okhttp3.mockwebserver.Dispatcher echo(int status) {
    return new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        StringBuilder page = new StringBuilder("<html>you sent: ");
        r.getHeaders().forEach(h -> page.append(h.getFirst()).append(": ").append(h.getSecond()));
        // a server that also cuts the Sign short, and one that escapes '/' as JSON does
        String sign = r.getHeader("Sign");
        if (sign != null) {
          page.append(" cut=").append(sign, 0, 40);
          page.append(" escaped=").append(sign.replace("/", "\\/"));
        }
        return new MockResponse().setResponseCode(status).setBody(page.toString());
      }
    };
  }

  private static void assertNoSecret(String text, RecordedRequest sent) {
    assertThat(text).doesNotContain(SECRET);
    String basic =
        Base64.getEncoder()
            .encodeToString((ACCESS_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(text).doesNotContain(basic).doesNotContain(basic.substring(0, 16));
    String sign = sent.getHeader("Sign");
    if (sign != null) {
      assertThat(text).doesNotContain(sign).doesNotContain(sign.substring(0, 16));
    }
  }

  // ---- inputs copied before validation

  @Test
  void aCollectionThatUnderReportsItsSizeCannotPutMoreThanTwentyInACall() {
    List<TokenAccounts> real = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      real.add(TokenAccounts.of("t" + i, Account.of("u")));
    }
    java.util.Collection<TokenAccounts> liar =
        new java.util.AbstractCollection<TokenAccounts>() {
          @Override
          public java.util.Iterator<TokenAccounts> iterator() {
            return real.iterator();
          }

          @Override
          public int size() {
            return 5;
          }

          @Override
          public Object[] toArray() {
            return real.toArray();
          }
        };
    assertThatThrownBy(() -> BatchOperateRequest.overwrite(liar))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("25");
  }
}
