package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throttling is pacing, never failure: against a TPNS that rate limits every call for 20 s (or half
 * the calls at random for 30 s), single calls, async calls, {@code bulkOperate} and {@code
 * bulkQuery} all end with every item served exactly once, with the default settings and with {@code
 * maxRetries(0)}, and while throttled they send at a bounded rate. The scenarios run side by side,
 * each against its own server, so the whole class takes about as long as its longest one.
 */
@Tag("scale") // about 40 s: run once, not again for each OkHttp version
class ThrottlingTest {
  private static final String LIMITED = "{\"ret_code\":1008028,\"err_msg\":\"too fast\"}";

  /** A server that rate limits while {@code limited} says so, counting what it served. */
  private static final class ThrottledTpns implements AutoCloseable {
    final MockWebServer server = new MockWebServer();
    final StubTpns stub = new StubTpns();
    final long start = System.nanoTime();
    final AtomicInteger whileThrottled = new AtomicInteger();
    final AtomicInteger limitedAnswers = new AtomicInteger();
    final Map<String, AtomicInteger> served = new ConcurrentHashMap<>(); // key: calls served
    volatile long throttledUntil;

    ThrottledTpns(Function<Long, Boolean> limited, long throttleNanos) throws IOException {
      throttledUntil = start + throttleNanos;
      stub.boundTo = key -> Arrays.asList("x-" + key);
      stub.callAnswer =
          keys -> {
            long now = System.nanoTime();
            if (now - throttledUntil < 0) {
              whileThrottled.incrementAndGet();
            }
            if (limited.apply(now - start)) {
              // both shapes TPNS uses: 1008028 in the body, or HTTP 429 with Retry-After
              return limitedAnswers.incrementAndGet() % 2 == 0
                  ? new MockResponse().setBody(LIMITED)
                  : new MockResponse().setResponseCode(429).setHeader("Retry-After", "1");
            }
            for (String k : keys) {
              served.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            }
            return null;
          };
      server.setDispatcher(stub);
      server.start();
    }

    TpnsClient client(UnaryOperator<TpnsClient.Builder> settings) {
      return settings
          .apply(
              TpnsClient.builder()
                  .accessId(MockServerFixture.ACCESS_ID)
                  .secretKey(MockServerFixture.SECRET)
                  .baseUrl(server.url("/").toString()))
          .build();
    }

    double ratePerSecondWhileThrottled() {
      return whileThrottled.get() / ((throttledUntil - start) / 1e9);
    }

    @Override
    public void close() throws IOException {
      server.shutdown();
    }
  }

  private static List<String> tokens(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  /** One scenario: runs against its server and checks that every item was served once. */
  private interface Scenario {
    void run(ThrottledTpns tpns, UnaryOperator<TpnsClient.Builder> settings) throws Exception;
  }

  private static final Scenario SYNC =
      (tpns, settings) -> {
        try (TpnsClient c = tpns.client(settings)) {
          for (int i = 0; i < 3; i++) {
            BatchOperateResult r =
                c.batchOperate(BatchOperateRequest.deleteAllForTokens("sync-" + i));
            assertThat(r.isAllSuccess()).isTrue();
          }
        }
        assertServedOnce(tpns, tokens("sync-", 3));
      };

  private static final Scenario ASYNC =
      (tpns, settings) -> {
        try (TpnsClient c = tpns.client(settings)) {
          List<CompletableFuture<BatchOperateResult>> futures = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            futures.add(c.batchOperateAsync(BatchOperateRequest.deleteAllForTokens("async-" + i)));
          }
          for (CompletableFuture<BatchOperateResult> f : futures) {
            assertThat(f.get(60, TimeUnit.SECONDS).isAllSuccess()).isTrue();
          }
        }
        assertServedOnce(tpns, tokens("async-", 4));
      };

  private static final Scenario BULK_OPERATE =
      (tpns, settings) -> {
        List<String> input = tokens("op-", 5_000);
        try (TpnsClient c = tpns.client(settings)) {
          BulkResult r = c.bulkOperate(BulkRequest.deleteAllForTokens(input).concurrency(8));
          assertThat(r.isAllSuccess()).isTrue();
          assertThat(r.itemsSucceeded()).isEqualTo(5_000);
          assertThat(r.calls()).isEqualTo(250); // resends are not new calls
        }
        assertServedOnce(tpns, input);
      };

  private static final Scenario BULK_QUERY =
      (tpns, settings) -> {
        List<Account> input =
            IntStream.range(0, 2_000)
                .mapToObj(i -> Account.of("q-" + i, 0))
                .collect(Collectors.toList());
        Map<Account, Integer> answered = new ConcurrentHashMap<>();
        try (TpnsClient c = tpns.client(settings)) {
          BulkQueryResult<Account, String> r =
              c.bulkQuery(
                  BulkQueryRequest.tokensOfAccounts(input).concurrency(8),
                  (account, bound) -> {
                    answered.merge(account, 1, Integer::sum);
                    assertThat(bound).containsExactly("x-" + account.account());
                  });
          assertThat(r.isAllSuccess()).isTrue();
          assertThat(r.keysAnswered()).isEqualTo(2_000);
        }
        assertThat(answered).hasSize(2_000);
        assertThat(answered.values()).containsOnly(1);
      };

  private static void assertServedOnce(ThrottledTpns tpns, List<String> keys) {
    for (String k : keys) {
      assertThat(tpns.served.get(k)).as(k + " written").isNotNull();
      assertThat(tpns.served.get(k).get()).as(k + " written once").isEqualTo(1);
    }
  }

  private static final long TWENTY_S = TimeUnit.SECONDS.toNanos(20);
  private static final long THIRTY_S = TimeUnit.SECONDS.toNanos(30);

  /** Runs the four scenarios for each setting side by side; returns their servers. */
  private static List<ThrottledTpns> runAll(Function<Long, Boolean> limited, long throttleNanos)
      throws Exception {
    List<UnaryOperator<TpnsClient.Builder>> settings = Arrays.asList(b -> b, b -> b.maxRetries(0));
    List<Scenario> scenarios = Arrays.asList(SYNC, ASYNC, BULK_OPERATE, BULK_QUERY);
    List<String> names = Arrays.asList("sync", "async", "bulkOperate", "bulkQuery");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<ThrottledTpns> servers = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    try {
      for (int s = 0; s < settings.size(); s++) {
        for (int i = 0; i < scenarios.size(); i++) {
          ThrottledTpns tpns = new ThrottledTpns(limited, throttleNanos);
          servers.add(tpns);
          Scenario scenario = scenarios.get(i);
          UnaryOperator<TpnsClient.Builder> setting = settings.get(s);
          runs.add(
              pool.submit(
                  () -> {
                    scenario.run(tpns, setting);
                    return null;
                  }));
          labels.add(names.get(i) + (s == 0 ? " (defaults)" : " (maxRetries 0)"));
        }
      }
      for (int i = 0; i < runs.size(); i++) {
        runs.get(i).get(120, TimeUnit.SECONDS); // fails with the scenario's own assertion
        ThrottledTpns t = servers.get(i);
        System.out.printf(
            "%-28s %5.2f requests/s while throttled (%d requests, %d answered 'rate limited')%n",
            labels.get(i),
            t.ratePerSecondWhileThrottled(),
            t.whileThrottled.get(),
            t.limitedAnswers.get());
      }
      return servers;
    } finally {
      pool.shutdownNow();
      for (ThrottledTpns t : servers) {
        t.close();
      }
    }
  }

  @Test
  void everyCallIsRateLimitedForTwentySecondsThenServed() throws Exception {
    List<ThrottledTpns> servers = runAll(elapsed -> elapsed < TWENTY_S, TWENTY_S);
    for (ThrottledTpns t : servers) {
      // what TPNS allows: one call per Retry-After (1 s) or per backoff, not a burst. 8 calls in
      // flight at first, then halved down to one, paused each time: a few requests a second.
      assertThat(t.ratePerSecondWhileThrottled()).isLessThan(3.0);
    }
  }

  @Test
  void halfTheCallsAreRateLimitedAtRandomForThirtySeconds() throws Exception {
    runAll(elapsed -> elapsed < THIRTY_S && ThreadLocalRandom.current().nextBoolean(), THIRTY_S);
  }
}
