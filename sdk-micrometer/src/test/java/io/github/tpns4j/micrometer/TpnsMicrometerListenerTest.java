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
    // a second listener with the same client tag shares the series: the gauge sums both
    TpnsMicrometerListener again = new TpnsMicrometerListener(registry, Tags.of("client", "app-b"));
    assertThat(again.client()).isEqualTo("app-b");
    java.util.function.ToDoubleFunction<String> gauge =
        c ->
            registry
                .get(TpnsMicrometerListener.BULK_CALLS_ALLOWED)
                .tags("client", c)
                .gauge()
                .value();
    try (TpnsClient clientA = tpns.clientBuilder().eventListener(a).build();
        TpnsClient clientB = tpns.clientBuilder().eventListener(b).build();
        TpnsClient clientB2 = tpns.clientBuilder().eventListener(again).build()) {
      assertThat(gauge.applyAsDouble("app-a")).isZero();
      assertThat(gauge.applyAsDouble("app-b")).isZero();
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      java.util.List<Thread> runs = new java.util.ArrayList<>();
      int[][] plan = {{0, 4}, {0, 3}, {1, 2}, {2, 5}}; // client, concurrency
      for (int[] p : plan) {
        TpnsClient c = p[0] == 0 ? clientA : p[0] == 1 ? clientB : clientB2;
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
      // all four runs alive: app-a's two runs summed, app-b's two (one per listener) summed
      assertThat(gauge.applyAsDouble("app-a")).isEqualTo(7);
      assertThat(gauge.applyAsDouble("app-b")).isEqualTo(7);
      release.countDown();
      for (Thread t : runs) {
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(gauge.applyAsDouble("app-a")).isZero();
      assertThat(gauge.applyAsDouble("app-b")).isZero();
    }
  }

  private java.util.Set<String> clientTagValues() {
    return registry.getMeters().stream()
        .map(m -> m.getId().getTag(TpnsMicrometerListener.CLIENT_TAG))
        .collect(Collectors.toSet());
  }

  @Test
  void aRebuiltClientOnOneRegistryFindsTheSameSeries() {
    // A refresh scope (or a registry shared between tests) builds the client again, with a new
    // listener, while the old listener's meters are still registered.
    for (int i = 0; i < 2; i++) {
      TpnsMicrometerListener listener =
          new TpnsMicrometerListener(registry, Tags.of("client", "shop-app"));
      assertThat(listener.client()).isEqualTo("shop-app");
      try (TpnsClient rebuilt = tpns.clientBuilder().eventListener(listener).build()) {
        rebuilt.batchOperate(
            BatchOperateRequest.overwrite(TokenAccounts.of("t" + i, Account.of("a"))));
      }
    }
    assertThat(
            registry
                .get(TpnsMicrometerListener.REQUESTS)
                .tags("client", "shop-app", "outcome", "SUCCESS")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(registry.find(TpnsMicrometerListener.BULK_CALLS_ALLOWED).gauges()).hasSize(2);
    // the set-up's listener (client=default) and the rebuilt ones: no renamed series
    assertThat(clientTagValues()).containsExactlyInAnyOrder("default", "shop-app");
  }

  @Test
  void closingTheLastListenerOfAClientRemovesItsGauge() throws Exception {
    TpnsMicrometerListener first =
        new TpnsMicrometerListener(registry, Tags.of("client", "shop-app"));
    TpnsMicrometerListener second =
        new TpnsMicrometerListener(registry, Tags.of("client", "shop-app"));
    java.util.function.Supplier<io.micrometer.core.instrument.Gauge> gauge =
        () ->
            registry
                .find(TpnsMicrometerListener.BULK_CALLS_ALLOWED)
                .tags("client", "shop-app")
                .gauge();
    try (TpnsClient c = tpns.clientBuilder().eventListener(first).build()) {
      c.bulkOperate(BulkRequest.deleteAllForTokens(java.util.Arrays.asList("t1", "t2")));
    }
    first.close();
    assertThat(gauge.get()).as("still used by the second listener").isNotNull();
    assertThat(gauge.get().value()).isZero();
    second.close();
    second.close(); // idempotent
    assertThat(gauge.get()).isNull();
    // the counters and timers stay: they are the history of what the client did
    assertThat(registry.get(TpnsMicrometerListener.CALLS).tags("client", "shop-app").timer())
        .isNotNull();
    // the client's next listener registers it again, under the same name and tags
    try (TpnsMicrometerListener next =
        new TpnsMicrometerListener(registry, Tags.of("client", "shop-app"))) {
      assertThat(next.client()).isEqualTo("shop-app");
      assertThat(gauge.get()).isNotNull();
    }
    assertThat(gauge.get()).isNull();
  }

  @Test
  void theRegistryDoesNotKeepAListenerAlive() {
    java.lang.ref.WeakReference<TpnsMicrometerListener> listener =
        new java.lang.ref.WeakReference<>(
            new TpnsMicrometerListener(registry, Tags.of("client", "forgotten")));
    for (int i = 0; i < 100 && listener.get() != null; i++) {
      System.gc(); // waits for the collection, the event this test waits on
    }
    assertThat(listener.get()).isNull();
    // a listener nobody closed counts for nothing in the gauge it shared
    assertThat(
            registry
                .get(TpnsMicrometerListener.BULK_CALLS_ALLOWED)
                .tags("client", "forgotten")
                .gauge()
                .value())
        .isZero();
  }
}
