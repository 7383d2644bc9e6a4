package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsEventListener.AttemptEnded;
import io.github.tpns4j.TpnsEventListener.BulkCallEnded;
import io.github.tpns4j.TpnsEventListener.BulkLimitChanged;
import io.github.tpns4j.TpnsEventListener.CallEnded;
import io.github.tpns4j.TpnsEventListener.Endpoint;
import io.github.tpns4j.TpnsEventListener.RetryScheduled;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.TokenAccounts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TpnsEventListenerTest extends MockServerFixture {
  private static final BatchOperateRequest ONE =
      BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("a")));

  /** Records every event, in order. */
  static final class Recorder implements TpnsEventListener {
    final List<Object> events = new CopyOnWriteArrayList<>();

    final List<String> startedOn = new CopyOnWriteArrayList<>();

    @Override
    public void callStarted(CallStarted e) {
      events.add(e);
      startedOn.add(Thread.currentThread().getName());
    }

    @Override
    public void attemptEnded(AttemptEnded e) {
      events.add(e);
    }

    @Override
    public void callEnded(CallEnded e) {
      events.add(e);
    }

    @Override
    public void retryScheduled(RetryScheduled e) {
      events.add(e);
    }

    @Override
    public void bulkLimitChanged(BulkLimitChanged e) {
      events.add(e);
    }

    @Override
    public void bulkRunStarted(BulkRunStarted e) {
      events.add(e);
    }

    @Override
    public void bulkRunEnded(BulkRunEnded e) {
      events.add(e);
    }

    @Override
    public void bulkCallEnded(BulkCallEnded e) {
      events.add(e);
    }

    <E> List<E> of(Class<E> type) {
      return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }
  }

  private static MockResponse ok() {
    return new MockResponse()
        .setBody("{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[\"0\"]}");
  }

  private void call(boolean async) throws Exception {
    if (async) {
      client.batchOperateAsync(ONE).get(10, TimeUnit.SECONDS);
    } else {
      client.batchOperate(ONE);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void reportsAttemptsRetriesAndTheCall(boolean async) throws Exception {
    Recorder r = new Recorder();
    client = builder().eventListener(r).build();
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(ok());
    call(async);
    // the call's end is reported after the future completes: wait for it
    while (r.of(CallEnded.class).isEmpty()) {
      Thread.onSpinWait();
    }
    List<AttemptEnded> attempts = r.of(AttemptEnded.class);
    assertThat(attempts).extracting(AttemptEnded::attempt).containsExactly(1, 2, 3);
    assertThat(attempts).extracting(AttemptEnded::httpStatus).containsExactly(503, 0, 200);
    assertThat(attempts.get(1).isIoFailure()).isTrue();
    assertThat(attempts.get(2).retCode()).isZero();
    assertThat(attempts.get(2).failure()).isNull();
    assertThat(attempts).allSatisfy(a -> assertThat(a.endpoint()).isEqualTo(Endpoint.BATCHOPERATE));
    assertThat(r.of(RetryScheduled.class)).extracting(RetryScheduled::retry).containsExactly(1, 2);
    CallEnded end = r.of(CallEnded.class).get(0);
    assertThat(end.attempts()).isEqualTo(3);
    assertThat(end.retCode()).isZero();
    assertThat(end.failure()).isNull();
    assertThat(end.elapsed()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void reportsAFailedCallWithItsRetCode(boolean async) {
    Recorder r = new Recorder();
    client = builder().eventListener(r).build();
    server.enqueue(new MockResponse().setBody("{\"ret_code\":1008007,\"err_msg\":\"bad\"}"));
    try {
      call(async);
    } catch (Exception expected) {
      // the call fails; the events say how
    }
    while (r.of(CallEnded.class).isEmpty()) {
      Thread.onSpinWait();
    }
    assertThat(r.of(AttemptEnded.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.httpStatus()).isEqualTo(200);
              assertThat(a.retCode()).isEqualTo(1008007);
            });
    assertThat(r.of(CallEnded.class).get(0).failure()).isInstanceOf(TpnsApiException.class);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aThrowingListenerNeverChangesTheOutcome(boolean async) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TpnsEventListener broken =
        new TpnsEventListener() {
          @Override
          public void attemptEnded(AttemptEnded e) {
            calls.incrementAndGet();
            throw new IllegalStateException("broken listener");
          }

          @Override
          public void callEnded(CallEnded e) {
            throw new StackOverflowError("broken listener");
          }
        };
    client = builder().eventListener(broken).build();
    server.enqueue(ok());
    call(async);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void queriesReportTheirEndpoint() {
    Recorder r = new Recorder();
    client = builder().eventListener(r).build();
    server.enqueue(
        new MockResponse().setBody("{\"retCode\":0,\"errMsg\":\"ok\",\"result\":[\"0\"]}"));
    client.queryAccounts(AccountQueryRequest.accountsOfTokens("t1"));
    assertThat(r.of(CallEnded.class))
        .singleElement()
        .extracting(CallEnded::endpoint)
        .isEqualTo(Endpoint.QUERY);
  }

  @Test
  void bulkRunsReportSlowDownsAndItemsPerCall() {
    Recorder r = new Recorder();
    StubTpns stub = new StubTpns();
    AtomicInteger limited = new AtomicInteger();
    stub.codeFor = key -> key.equals("t3") ? "1008006" : null;
    stub.callAnswer =
        keys ->
            keys.contains("t40") && limited.getAndIncrement() == 0
                ? new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}")
                : null;
    server.setDispatcher(stub);
    client = builder().eventListener(r).build();
    client.bulkOperate(
        BulkRequest.deleteAllForTokens(
                IntStream.range(0, 200).mapToObj(i -> "t" + i).collect(Collectors.toList()))
            .concurrency(4));
    assertThat(r.of(BulkLimitChanged.class))
        .first()
        .satisfies(
            e -> {
              assertThat(e.slowedDown()).isTrue();
              assertThat(e.callsInFlightAllowed()).isEqualTo(2);
            });
    assertThat(r.of(BulkLimitChanged.class)).anySatisfy(e -> assertThat(e.slowedDown()).isFalse());
    List<BulkCallEnded> calls = r.of(BulkCallEnded.class);
    assertThat(calls).hasSize(10);
    assertThat(calls.stream().mapToInt(BulkCallEnded::itemsSucceeded).sum()).isEqualTo(199);
    assertThat(calls.stream().mapToInt(BulkCallEnded::itemsFailed).sum()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCallStartsOnTheCallingThreadAndEndsOnceWithTheSameIdBeforeItsFutureCompletes(boolean async)
      throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(ok());
    Recorder r = new Recorder();
    client = builder().eventListener(r).build();
    if (async) {
      // a dependent stage sees the call's end already reported
      int endsSeen =
          client
              .batchOperateAsync(ONE)
              .thenApply(x -> r.of(TpnsEventListener.CallEnded.class).size())
              .get(10, TimeUnit.SECONDS);
      assertThat(endsSeen).isEqualTo(1);
    } else {
      client.batchOperate(ONE);
    }
    assertThat(r.startedOn).containsExactly(Thread.currentThread().getName());
    TpnsEventListener.CallStarted started = r.of(TpnsEventListener.CallStarted.class).get(0);
    assertThat(r.events.get(0)).isSameAs(started);
    assertThat(r.of(TpnsEventListener.AttemptEnded.class))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.callId()).isEqualTo(started.callId()));
    assertThat(r.of(TpnsEventListener.RetryScheduled.class))
        .singleElement()
        .satisfies(e -> assertThat(e.callId()).isEqualTo(started.callId()));
    assertThat(r.of(TpnsEventListener.CallEnded.class))
        .singleElement()
        .satisfies(e -> assertThat(e.callId()).isEqualTo(started.callId()));
  }

  @Test
  void aBulkRunReportsItsStartAndEndAroundItsCalls() {
    server.setDispatcher(new StubTpns());
    Recorder r = new Recorder();
    client = builder().eventListener(r).build();
    client.bulkOperate(
        io.github.tpns4j.account.BulkRequest.deleteAllForTokens(
                java.util.stream.IntStream.range(0, 50)
                    .mapToObj(i -> "t" + i)
                    .collect(Collectors.toList()))
            .concurrency(3));
    assertThat(r.events.get(0)).isInstanceOf(TpnsEventListener.BulkRunStarted.class);
    assertThat(r.events.get(r.events.size() - 1))
        .isInstanceOf(TpnsEventListener.BulkRunEnded.class);
    TpnsEventListener.BulkRunStarted started = r.of(TpnsEventListener.BulkRunStarted.class).get(0);
    assertThat(started.callsInFlightAllowed()).isEqualTo(3);
    assertThat(r.of(TpnsEventListener.BulkRunEnded.class))
        .singleElement()
        .satisfies(e -> assertThat(e.runId()).isEqualTo(started.runId()));
    assertThat(r.of(TpnsEventListener.CallStarted.class))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.bulk()).isTrue());
    assertThat(r.of(TpnsEventListener.CallEnded.class)).hasSize(3);
  }
}
