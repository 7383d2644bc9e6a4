package io.github.tpns4j.micrometer;

import io.github.tpns4j.TpnsEventListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Micrometer {@link Observation} per TPNS call, for metrics and trace spans from one
 * instrumentation, as Spring Boot 3 and 4 instrument their clients. It starts when the call starts,
 * on the calling thread (so its parent is the observation current there, e.g. the incoming HTTP
 * request), records each attempt and each retry as an event, records the exception the call ended
 * with, and stops when the call ends. Name and keys come from a {@link TpnsObservationConvention}
 * (default {@link TpnsObservationConvention#DEFAULT}). Thread-safe.
 *
 * <pre>{@code
 * TpnsClient client = TpnsClient.builder()
 *     .accessId(...).secretKey(...)
 *     .eventListener(new TpnsObservationListener(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>With a tracing bridge registered on the registry, each call is a span named {@code tpns
 * batchoperate} (or {@code tpns query}), with its attempts and retries as span events. Use it
 * instead of, or beside, {@link TpnsMicrometerListener}; with a meter observation handler the
 * observation also gives a timer named {@value TpnsObservationConvention#NAME}.
 */
public final class TpnsObservationListener implements TpnsEventListener {
  private final ObservationRegistry registry;
  private final TpnsObservationConvention convention;
  private final String client;
  private final Map<Long, Observation> calls = new ConcurrentHashMap<>();

  /** Observes into {@code registry} with the default convention and {@code client=default}. */
  public TpnsObservationListener(ObservationRegistry registry) {
    this(registry, null, "default");
  }

  /**
   * @param convention the convention to use instead of the default one; null for the default
   * @param client the {@code client} key's value, e.g. the app's name
   */
  public TpnsObservationListener(
      ObservationRegistry registry, TpnsObservationConvention convention, String client) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.convention = convention;
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void callStarted(CallStarted e) {
    TpnsObservationContext context = new TpnsObservationContext(e.endpoint(), e.bulk(), client);
    Observation observation =
        Observation.createNotStarted(
                convention, TpnsObservationConvention.DEFAULT, () -> context, registry)
            .start();
    if (!observation.isNoop()) {
      calls.put(e.callId(), observation);
    }
  }

  @Override
  public void attemptEnded(AttemptEnded e) {
    Observation observation = calls.get(e.callId());
    if (observation != null) {
      ((TpnsObservationContext) observation.getContext()).attempt(e.attempt());
      observation.event(
          Observation.Event.of(
              "tpns.attempt",
              "attempt "
                  + e.attempt()
                  + (e.isIoFailure() ? " got no answer" : " answered HTTP " + e.httpStatus())));
    }
  }

  @Override
  public void retryScheduled(RetryScheduled e) {
    Observation observation = calls.get(e.callId());
    if (observation != null) {
      observation.event(
          Observation.Event.of(
              "tpns.retry",
              "retry "
                  + e.retry()
                  + " in "
                  + e.delay().toMillis()
                  + " ms ("
                  + TpnsMicrometerListener.reason(e.cause())
                  + ")"));
    }
  }

  @Override
  public void callEnded(CallEnded e) {
    Observation observation = calls.remove(e.callId());
    if (observation == null) {
      return;
    }
    ((TpnsObservationContext) observation.getContext())
        .ended(e.attempts(), e.retCode(), e.failure(), e.requeued());
    if (e.failure() != null && !e.requeued()) {
      observation.error(e.failure());
    }
    observation.stop();
  }
}
