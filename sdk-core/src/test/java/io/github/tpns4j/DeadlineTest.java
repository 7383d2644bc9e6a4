package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * callDeadline bounds the whole call from the moment it is made: a first attempt that gets no
 * answer, a server trickling its answer, and time queued behind a full dispatcher.
 */
class DeadlineTest extends MockServerFixture {
  private static final BatchOperateRequest ONE = BatchOperateRequest.deleteAllForTokens("t1");
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final long MARGIN_MILLIS = 1_000;

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

  private static void assertEndedByTheDeadline(Throwable t, long tookMillis) {
    assertThat(t)
        .isInstanceOf(TpnsTransportException.class)
        .hasMessageContaining("did not end within its callDeadline of PT2S");
    assertThat(((TpnsException) t).isRetryable()).isTrue();
    assertThat(tookMillis).isBetween(DEADLINE.toMillis() - 50, DEADLINE.toMillis() + MARGIN_MILLIS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFirstAttemptThatGetsNoAnswerEndsAtTheDeadlineNotTheReadTimeout(Mode mode) {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    client = builder().callDeadline(DEADLINE).build(); // read timeout 10 s, no callTimeout
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
    client = builder().callDeadline(DEADLINE).build();
    long start = System.nanoTime();
    Throwable t = call(mode);
    assertEndedByTheDeadline(t, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @org.junit.jupiter.api.Test
  void anAsyncCallQueuedBehindAFullDispatcherEndsAtItsDeadline() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    Dispatcher one = new Dispatcher();
    one.setMaxRequests(1);
    one.setMaxRequestsPerHost(1);
    OkHttpClient http = new OkHttpClient.Builder().dispatcher(one).build();
    try {
      client =
          builder()
              .okHttpClient(http)
              .callDeadline(Duration.ofSeconds(10))
              .build(); // the stuck call
      CompletableFuture<BatchOperateResult> stuck = client.batchOperateAsync(ONE);
      try (TpnsClient queued = builder().okHttpClient(http).callDeadline(DEADLINE).build()) {
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
