package io.github.tpns4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TpnsMicrometerListenerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FakeTpnsServer tpns;
  private TpnsClient client;

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
    client =
        tpns.clientBuilder()
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .eventListener(new TpnsMicrometerListener(registry, Tags.of("app", "test")))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    tpns.close();
  }

  private long requests(String... tags) {
    return registry.get(TpnsMicrometerListener.REQUESTS).tags(tags).timers().stream()
        .mapToLong(t -> t.count())
        .sum();
  }

  @Test
  void timesAttemptsAndCallsWithClosedSetTags() {
    tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
    tpns.enqueueFailure(FakeFailure.disconnect());
    client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a"))));
    assertThat(
            requests(
                "endpoint",
                "batchoperate",
                "status",
                "200",
                "ret_code",
                "0",
                "outcome",
                "SUCCESS",
                "error",
                "none",
                "app",
                "test",
                "client",
                "default"))
        .isEqualTo(1);
    assertThat(
            requests(
                "status",
                "503",
                "ret_code",
                "NONE",
                "outcome",
                "SERVER_ERROR",
                "error",
                "TpnsHttpException"))
        .isEqualTo(1);
    assertThat(
            requests("status", "IO_ERROR", "outcome", "UNKNOWN", "error", "TpnsTransportException"))
        .isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.CALLS)
                .tags("endpoint", "batchoperate", "result", "SUCCESS", "error", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.RETRIES)
                .tags("reason", "HTTP_5XX")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.RETRIES)
                .tags("reason", "IO_ERROR")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void tagsRateLimitsAndApiErrorsAndQueries() {
    tpns.enqueueFailure(FakeFailure.retCode(1008028, "too fast"));
    tpns.enqueueFailure(FakeFailure.retCode(99999, "something new"));
    try {
      client.batchOperate(BatchOperateRequest.deleteAllForTokens("t1"));
    } catch (RuntimeException expected) {
      // 99999 is not retried
    }
    assertThat(
            registry
                .get(TpnsMicrometerListener.RETRIES)
                .tags("reason", "RATE_LIMITED")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            requests(
                "ret_code", "1008028", "outcome", "SUCCESS", "error", "TpnsRateLimitException"))
        .isEqualTo(1);
    assertThat(requests("ret_code", "OTHER", "error", "TpnsApiException")).isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.CALLS)
                .tags("result", "FAILED", "error", "TpnsApiException")
                .timer()
                .count())
        .isEqualTo(1);
    client.queryAccounts(AccountQueryRequest.accountsOfTokens("t1"));
    assertThat(requests("endpoint", "query", "outcome", "SUCCESS")).isEqualTo(1);
  }

  @Test
  void countsBulkItemsByResultAndShowsTheCallsAllowed() {
    tpns.setRequireRegisteredTokens(true);
    for (int i = 0; i < 90; i++) {
      tpns.registerToken("t" + i);
    }
    tpns.enqueueFailure(FakeFailure.retCode(1008028, "too fast"));
    client.bulkOperate(
        BulkRequest.deleteAllForTokens(
                IntStream.range(0, 100).mapToObj(i -> "t" + i).collect(Collectors.toList()))
            .concurrency(1));
    assertThat(
            registry
                .get(TpnsMicrometerListener.BULK_ITEMS)
                .tags("result", "succeeded")
                .counter()
                .count())
        .isEqualTo(90);
    assertThat(
            registry
                .get(TpnsMicrometerListener.BULK_ITEMS)
                .tags("result", "failed")
                .counter()
                .count())
        .isEqualTo(10);
    // the run is over: no calls in flight allowed any more
    assertThat(registry.get(TpnsMicrometerListener.BULK_CALLS_ALLOWED).gauge().value()).isZero();
    assertThat(requests("outcome", "SUCCESS", "ret_code", "1008026")).isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.CALLS)
                .tags("result", "ITEM_FAILURES")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void noTagValueComesFromTheRequestOrTheServerText() {
    tpns.enqueueFailure(FakeFailure.retCode(1008007, "token-SECRET-ish is bad"));
    try {
      client.batchOperate(
          BatchOperateRequest.overwrite(TokenAccounts.of("token-xyz", Account.of("alice"))));
    } catch (RuntimeException expected) {
      // refused
    }
    Set<String> values = new HashSet<>();
    for (Meter m : registry.getMeters()) {
      m.getId().getTags().forEach(t -> values.add(t.getValue()));
    }
    assertThat(values)
        .noneMatch(v -> v.contains("token") || v.contains("alice") || v.contains("bad"));
  }

  @Test
  void aRateLimitedCallThatTheRunSendsAgainIsARetryNotAFailedCall() {
    tpns.enqueueFailure(FakeFailure.retCode(1008028, "too fast"));
    client.bulkOperate(
        BulkRequest.deleteAllForTokens(
                IntStream.range(0, 40).mapToObj(i -> "t" + i).collect(Collectors.toList()))
            .concurrency(1));
    assertThat(registry.find(TpnsMicrometerListener.CALLS).tags("result", "FAILED").timer())
        .isNull();
    assertThat(registry.get(TpnsMicrometerListener.CALLS).tags("result", "SUCCESS").timer().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(TpnsMicrometerListener.RETRIES)
                .tags("reason", "RATE_LIMITED")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.BULK_ITEMS)
                .tags("result", "failed")
                .counter()
                .count())
        .isZero();
  }

  @Test
  void theGaugeSumsTheLiveRunsOfEachClientAtEveryMoment() throws Exception {
    TpnsMicrometerListener a = new TpnsMicrometerListener(registry, Tags.of("client", "app-a"));
    TpnsMicrometerListener b = new TpnsMicrometerListener(registry, Tags.of("client", "app-b"));
    TpnsMicrometerListener again = new TpnsMicrometerListener(registry, Tags.of("client", "app-b"));
    assertThat(again.client()).isEqualTo("app-b-2"); // never the first one's gauge
    java.util.function.ToDoubleFunction<String> gauge =
        c ->
            registry
                .get(TpnsMicrometerListener.BULK_CALLS_ALLOWED)
                .tags("client", c)
                .gauge()
                .value();
    try (TpnsClient clientA = tpns.clientBuilder().eventListener(a).build();
        TpnsClient clientB = tpns.clientBuilder().eventListener(b).build()) {
      assertThat(gauge.applyAsDouble("app-a")).isZero();
      assertThat(gauge.applyAsDouble("app-b")).isZero();
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      java.util.List<Thread> runs = new java.util.ArrayList<>();
      int[][] plan = {{0, 4}, {0, 3}, {1, 2}}; // client, concurrency
      for (int[] p : plan) {
        TpnsClient c = p[0] == 0 ? clientA : clientB;
        java.util.concurrent.atomic.AtomicBoolean first =
            new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread t =
            new Thread(
                () ->
                    c.bulkOperate(
                        BulkRequest.deleteAllForTokens(
                                IntStream.range(0, 200)
                                    .mapToObj(i -> "t" + i)
                                    .collect(Collectors.toList()))
                            .concurrency(p[1])
                            .onProgress(
                                (items, calls) -> {
                                  if (first.getAndSet(false)) {
                                    started.countDown();
                                    try {
                                      release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                      Thread.currentThread().interrupt();
                                    }
                                  }
                                })));
        t.start();
        runs.add(t);
      }
      assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // all three runs alive: app-a's two runs summed, app-b's one, the other listener none
      assertThat(gauge.applyAsDouble("app-a")).isEqualTo(7);
      assertThat(gauge.applyAsDouble("app-b")).isEqualTo(2);
      assertThat(gauge.applyAsDouble("app-b-2")).isZero();
      release.countDown();
      for (Thread t : runs) {
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(gauge.applyAsDouble("app-a")).isZero();
      assertThat(gauge.applyAsDouble("app-b")).isZero();
    }
  }
}
