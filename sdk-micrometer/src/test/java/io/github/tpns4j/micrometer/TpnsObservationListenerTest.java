package io.github.tpns4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsHttpException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.testing.FakeFailure;
import io.github.tpns4j.testing.FakeTpnsServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TpnsObservationListenerTest {
  private FakeTpnsServer tpns;

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
  }

  @AfterEach
  void stop() {
    tpns.close();
  }

  private TpnsClient client(ObservationRegistry registry) {
    return tpns.clientBuilder()
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .eventListener(new TpnsObservationListener(registry, null, "shop"))
        .build();
  }

  @Test
  void observesACallOnceWithItsAttemptsAndRetries() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
    try (TpnsClient client = client(registry)) {
      client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a"))));
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasSingleObservationThat()
        .hasNameEqualTo(TpnsObservationConvention.NAME)
        .hasContextualNameEqualTo("tpns batchoperate")
        .hasLowCardinalityKeyValue("endpoint", "batchoperate")
        .hasLowCardinalityKeyValue("client", "shop")
        .hasLowCardinalityKeyValue("result", "SUCCESS")
        .hasLowCardinalityKeyValue("error", "none")
        .hasLowCardinalityKeyValue("bulk", "false")
        .doesNotHaveError()
        .hasEvent("tpns.attempt")
        .hasEvent("tpns.retry")
        .hasBeenStarted()
        .hasBeenStopped();
  }

  @Test
  void observesQueriesAndAsyncCallsToo() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    try (TpnsClient client = client(registry)) {
      client.queryAccounts(AccountQueryRequest.accountsOfTokens("t1"));
      client.batchOperateAsync(BatchOperateRequest.deleteAllForTokens("t1")).join();
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(TpnsObservationConvention.NAME, 2)
        .hasAnObservation(o -> o.hasContextualNameEqualTo("tpns query"))
        .hasAnObservation(o -> o.hasContextualNameEqualTo("tpns batchoperate"));
  }

  @Test
  void aFailedCallIsAnObservationWithItsError() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    for (int i = 0; i < 3; i++) {
      tpns.enqueueFailure(FakeFailure.httpStatus(500, "down"));
    }
    try (TpnsClient client = client(registry)) {
      Throwable t =
          catchThrowable(() -> client.batchOperate(BatchOperateRequest.deleteAllForTokens("t1")));
      assertThat(t).isInstanceOf(TpnsHttpException.class);
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasSingleObservationThat()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("result", "FAILED")
        .hasLowCardinalityKeyValue("error", "TpnsHttpException")
        .hasError();
  }

  @Test
  void aTracingBridgeExportsASpanPerCallUnderTheCallersSpan() {
    SimpleTracer tracer = new SimpleTracer();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
    Observation parent = Observation.start("incoming.request", registry);
    try (TpnsClient client = client(registry);
        Observation.Scope scope = parent.openScope()) {
      client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a"))));
      client.batchOperateAsync(BatchOperateRequest.deleteAllForTokens("t1")).join();
    } finally {
      parent.stop();
    }
    List<SimpleSpan> spans = new ArrayList<>(tracer.getSpans());
    SimpleSpan request =
        spans.stream().filter(s -> s.getName().equals("incoming.request")).findFirst().get();
    List<SimpleSpan> calls = new ArrayList<>();
    for (SimpleSpan s : spans) {
      if (s.getName().equals("tpns batchoperate")) {
        calls.add(s);
      }
    }
    assertThat(calls).hasSize(2);
    assertThat(calls)
        .allSatisfy(
            s -> {
              assertThat(s.getParentId()).isEqualTo(request.context().spanId());
              assertThat(s.getTags()).containsEntry("endpoint", "batchoperate");
              assertThat(s.getEndTimestamp()).isNotNull();
            });
    // the retried call: its attempts and its retry as span events
    assertThat(calls.get(0).getEvents())
        .extracting(e -> e.getValue())
        .satisfiesExactly(
            v -> assertThat(v).isEqualTo("attempt 1 answered HTTP 503"),
            v -> assertThat(v).startsWith("retry 1 in ").endsWith("ms (HTTP_5XX)"),
            v -> assertThat(v).isEqualTo("attempt 2 answered HTTP 200"));
  }
}
