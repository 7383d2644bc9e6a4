package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.internal.BulkTransport;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bulk engine against a transport whose calls the test completes by hand. */
class BulkRunTest {
  /** A call the engine sent, waiting for the test to complete it. */
  static final class Sent {
    final BatchOperateRequest request;
    final CompletableFuture<BatchOperateResult> future = new CompletableFuture<>();

    Sent(BatchOperateRequest request) {
      this.request = request;
    }

    void succeed() {
      future.complete(BatchOperateResult.of(request, 0, "ok", null));
    }
  }

  static final class HandTransport implements BulkTransport {
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    final AtomicInteger sends = new AtomicInteger();
    volatile boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public CompletableFuture<BatchOperateResult> send(BatchOperateRequest request) {
      Sent s = new Sent(request);
      sends.incrementAndGet();
      sent.add(s);
      return s.future;
    }

    /** Like the client's policy with maxRetries 2 and no backoff: rate limits retried twice. */
    @Override
    public long rateLimitDelayNanos(io.github.tpns4j.TpnsException failure, int retries) {
      return failure instanceof io.github.tpns4j.TpnsRateLimitException && retries < 2 ? 0 : -1;
    }

    Sent next() throws InterruptedException {
      Sent s = sent.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("the engine sent a call").isNotNull();
      return s;
    }
  }

  /** Starts a bulk run of {@code n} tokens on another thread, as the client's caller would. */
  private static CompletableFuture<BulkResult> start(
      HandTransport transport, int n, int concurrency) {
    List<String> tokens = IntStream.range(0, n).mapToObj(i -> "t" + i).collect(Collectors.toList());
    return CompletableFuture.supplyAsync(
        () ->
            new BulkRun(BulkRequest.deleteAllForTokens(tokens).concurrency(concurrency), transport)
                .run());
  }

  /** Completes every call the engine sends until the run ends. */
  private static void drain(HandTransport transport, CompletableFuture<BulkResult> run)
      throws InterruptedException {
    while (!run.isDone()) {
      Sent s = transport.sent.poll(50, TimeUnit.MILLISECONDS);
      if (s != null) {
        s.succeed();
      }
    }
  }

  @Test
  void halvesTheCallsInFlightOnRateLimitAndResendsTheChunkFirst() throws Exception {
    HandTransport transport = new HandTransport();
    CompletableFuture<BulkResult> run = start(transport, 400, 8);
    Sent[] first = new Sent[8];
    for (int i = 0; i < 8; i++) {
      first[i] = transport.next();
    }
    // rate limited: 7 left in flight, the limit halves to 4
    first[0].future.completeExceptionally(TestExceptions.rateLimited());
    first[1].succeed();
    first[2].succeed();
    first[3].succeed(); // 4 in flight: at the new limit, so nothing more is sent
    assertThat(transport.sends.get()).isEqualTo(8);
    assertThat(transport.sent).isEmpty();
    first[4].succeed(); // 3 in flight: the limited chunk goes again, before new input
    Sent again = transport.next();
    assertThat(again.request.keys()).isEqualTo(first[0].request.keys());
    again.succeed();

    first[5].succeed();
    first[6].succeed();
    first[7].succeed();
    drain(transport, run);
    BulkResult r = run.get(10, TimeUnit.SECONDS);
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(400);
    assertThat(r.calls()).isEqualTo(20);
    assertThat(transport.sends.get()).isEqualTo(21);
  }

  @Test
  void stopsSendingWhenTheClientIsClosed() throws Exception {
    HandTransport transport = new HandTransport();
    CompletableFuture<BulkResult> run = start(transport, 200, 2);
    Sent a = transport.next();
    Sent b = transport.next();
    transport.closed = true;
    a.succeed();
    b.succeed();
    assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(io.github.tpns4j.TpnsException.class)
        .hasMessageContaining("closed during the bulk run")
        .hasMessageContaining("40 items were sent in 2 calls");
    assertThat(transport.sends.get()).isEqualTo(2);
  }

  @Test
  void neverHasMoreThanConcurrencyCallsInFlight() throws Exception {
    HandTransport transport = new HandTransport();
    CompletableFuture<BulkResult> run = start(transport, 200, 3);
    Sent a = transport.next();
    Sent b = transport.next();
    Sent c = transport.next();
    assertThat(transport.sends.get()).isEqualTo(3);
    b.succeed();
    Sent d = transport.next();
    assertThat(transport.sends.get()).isEqualTo(4);
    a.succeed();
    c.succeed();
    d.succeed();
    drain(transport, run);
    assertThat(run.get(10, TimeUnit.SECONDS).itemsSucceeded()).isEqualTo(200);
  }
}
