package io.github.tpns4j.micrometer;

import io.github.tpns4j.TpnsEventListener.Endpoint;
import io.github.tpns4j.TpnsException;
import io.micrometer.observation.Observation;

/**
 * What an observation of one TPNS call knows: the endpoint, whether the call is a bulk run's, and,
 * once it ended, its attempts, its {@code ret_code} or its exception, and whether a bulk run sends
 * its items again. Filled by {@link TpnsObservationListener}; read by an {@link
 * TpnsObservationConvention}.
 */
public final class TpnsObservationContext extends Observation.Context {
  private final Endpoint endpoint;
  private final boolean bulk;
  private final String client;
  private volatile int attempts;
  private volatile Integer retCode;
  private volatile TpnsException failure;
  private volatile boolean requeued;

  TpnsObservationContext(Endpoint endpoint, boolean bulk, String client) {
    this.endpoint = endpoint;
    this.bulk = bulk;
    this.client = client;
  }

  /** The endpoint called. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Whether the call is one of a bulk run's. */
  public boolean bulk() {
    return bulk;
  }

  /** The listener's {@code client} value. */
  public String client() {
    return client;
  }

  /** Attempts made so far. */
  public int attempts() {
    return attempts;
  }

  /** The result's {@code ret_code}; null while running or when the call failed. */
  public Integer retCode() {
    return retCode;
  }

  /** The exception the call ended with; null otherwise. */
  public TpnsException failure() {
    return failure;
  }

  /** Whether a bulk run sends the call's items again (it was rate limited). */
  public boolean requeued() {
    return requeued;
  }

  void attempt(int attempt) {
    this.attempts = attempt;
  }

  void ended(int attempts, Integer retCode, TpnsException failure, boolean requeued) {
    this.attempts = attempts;
    this.retCode = retCode;
    this.failure = failure;
    this.requeued = requeued;
  }
}
