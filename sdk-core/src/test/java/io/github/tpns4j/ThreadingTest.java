package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/**
 * With a callbackExecutor, no dependent stage runs on an OkHttp or tpns4j thread, nor on the thread
 * calling close(); when the executor refuses, on tpns4j's completion thread.
 */
class ThreadingTest extends MockServerFixture {
  private static final BatchOperateRequest ONE = BatchOperateRequest.deleteAllForTokens("t1");
  private static final String OK = "{\"ret_code\":0,\"err_msg\":\"ok\",\"result\":[\"0\"]}";

  @Test
  void whenTheCallbackExecutorRefusesTheFutureCompletesOnTpns4jsCompletionThread()
      throws Exception {
    server.enqueue(new MockResponse().setBody(OK));
    ExecutorService callbacks = Executors.newSingleThreadExecutor();
    callbacks.shutdown(); // refuses every task, as an app's pool does at shutdown
    client = builder().callbackExecutor(callbacks).build();
    CompletableFuture<String> where =
        client.batchOperateAsync(ONE).thenApply(r -> Thread.currentThread().getName());
    assertThat(where.get(10, TimeUnit.SECONDS)).isEqualTo("tpns4j-completion");
  }

  @Test
  void closeCompletesQueuedCallsWithoutRunningTheirStagesOnTheClosingThread() throws Exception {
    // the dispatcher's one slot is taken by a call that gets no answer; three more wait behind it
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    OkHttpClient http = onePerHost();
    ExecutorService callbacks =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    try {
      client = builder().okHttpClient(http).callbackExecutor(callbacks).build();
      client.batchOperateAsync(ONE);
      List<CompletableFuture<String>> stages = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(3);
      for (int i = 0; i < 3; i++) {
        stages.add(
            client
                .batchOperateAsync(ONE)
                .handle(
                    (r, t) -> {
                      done.countDown();
                      return Thread.currentThread().getName()
                          + " "
                          + (t == null ? "" : t.getClass().getSimpleName());
                    }));
      }
      Thread closer = new Thread(client::close, "closer");
      closer.start();
      closer.join(10_000);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      for (CompletableFuture<String> s : stages) {
        assertThat(s.get()).isEqualTo("app-callbacks TpnsClientClosedException");
      }
    } finally {
      callbacks.shutdownNow();
      http.dispatcher().executorService().shutdownNow();
    }
  }

  @Test
  void aRetryAndTheDeadlineTimerNeverRunTheCallersStages() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setBody(OK));
    ExecutorService callbacks =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    try {
      client = builder().callbackExecutor(callbacks).build();
      CompletableFuture<String> retried =
          client.batchOperateAsync(ONE).thenApply(r -> Thread.currentThread().getName());
      assertThat(retried.get(10, TimeUnit.SECONDS)).isEqualTo("app-callbacks");
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
      try (TpnsClient quick =
          builder()
              .callbackExecutor(callbacks)
              .callDeadline(java.time.Duration.ofMillis(300))
              .build()) {
        CompletableFuture<String> expired =
            quick.batchOperateAsync(ONE).handle((r, t) -> Thread.currentThread().getName());
        assertThat(expired.get(10, TimeUnit.SECONDS)).isEqualTo("app-callbacks");
      }
    } finally {
      callbacks.shutdownNow();
    }
  }

  @Test
  void withoutACallbackExecutorAQueuedCallClosedByCloseCompletesOnTheClosingThread()
      throws Exception {
    // documented in Threading: without an executor, close() completes what it ends, on its thread
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    OkHttpClient http = onePerHost();
    try {
      client = builder().okHttpClient(http).build();
      client.batchOperateAsync(ONE);
      CompletableFuture<BatchOperateResult> queued = client.batchOperateAsync(ONE);
      CompletableFuture<String> where = queued.handle((r, t) -> Thread.currentThread().getName());
      Thread closer = new Thread(client::close, "closer");
      closer.start();
      closer.join(10_000);
      assertThat(where.get(10, TimeUnit.SECONDS)).isEqualTo("closer");
    } finally {
      http.dispatcher().executorService().shutdownNow();
    }
  }
}
