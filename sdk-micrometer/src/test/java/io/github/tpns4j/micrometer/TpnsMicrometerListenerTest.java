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
                "app",
                "test"))
        .isEqualTo(1);
    assertThat(requests("status", "503", "ret_code", "NONE", "outcome", "HTTP_ERROR")).isEqualTo(1);
    assertThat(requests("status", "IO_ERROR", "outcome", "IO_ERROR")).isEqualTo(1);
    assertThat(
            registry
                .get(TpnsMicrometerListener.CALLS)
                .tags("endpoint", "batchoperate", "outcome", "SUCCESS")
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
    assertThat(requests("ret_code", "1008028", "outcome", "API_ERROR")).isEqualTo(1);
    assertThat(requests("ret_code", "OTHER", "outcome", "API_ERROR")).isEqualTo(1);
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
    assertThat(registry.get(TpnsMicrometerListener.BULK_CALLS_ALLOWED).gauge().value())
        .isEqualTo(1);
    assertThat(requests("outcome", "ITEM_FAILURES", "ret_code", "1008026")).isEqualTo(1);
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
}
