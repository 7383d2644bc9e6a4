package io.github.tpns4j;

import io.github.tpns4j.TpnsEventListener.Endpoint;
import java.time.Duration;

/**
 * Hands events to the client's {@link TpnsEventListener}, if there is one: callers check {@link
 * #on()} first, so a client without a listener builds no event and reads no extra clock. What the
 * listener throws is dropped: it never changes a call's outcome.
 */
final class Events {
  static final Events NONE = new Events(null);

  private final TpnsEventListener listener;
  private final java.util.concurrent.atomic.AtomicLong runs =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong calls =
      new java.util.concurrent.atomic.AtomicLong();

  private Events(TpnsEventListener listener) {
    this.listener = listener;
  }

  static Events of(TpnsEventListener listener) {
    return listener == null ? NONE : new Events(listener);
  }

  boolean on() {
    return listener != null;
  }

  static Integer retCodeOf(TpnsException failure) {
    return failure instanceof TpnsApiException ? ((TpnsApiException) failure).retCode() : null;
  }

  /** A new call's number, unique within this client; reports its start. */
  long callStarted(Endpoint endpoint, boolean bulk) {
    long id = calls.incrementAndGet();
    try {
      listener.callStarted(new TpnsEventListener.CallStarted(id, endpoint, bulk));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
    return id;
  }

  void attemptEnded(
      long callId,
      Endpoint endpoint,
      int attempt,
      long startNanos,
      int httpStatus,
      Integer retCode,
      TpnsException failure) {
    try {
      listener.attemptEnded(
          new TpnsEventListener.AttemptEnded(
              callId, endpoint, attempt, since(startNanos), httpStatus, retCode, failure));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  void callEnded(
      long callId,
      Endpoint endpoint,
      int attempts,
      long startNanos,
      Integer retCode,
      TpnsException failure,
      boolean requeued,
      boolean sent) {
    try {
      listener.callEnded(
          new TpnsEventListener.CallEnded(
              callId, endpoint, attempts, since(startNanos), retCode, failure, requeued, sent));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  void retryScheduled(
      long callId, Endpoint endpoint, int retry, long delayNanos, TpnsException cause) {
    try {
      listener.retryScheduled(
          new TpnsEventListener.RetryScheduled(
              callId, endpoint, retry, Duration.ofNanos(delayNanos), cause));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  /** A new bulk run's number, unique within this client. */
  long nextRunId() {
    return runs.incrementAndGet();
  }

  void bulkRunStarted(long runId, int allowed) {
    try {
      listener.bulkRunStarted(new TpnsEventListener.BulkRunStarted(runId, allowed));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  void bulkRunEnded(long runId) {
    try {
      listener.bulkRunEnded(new TpnsEventListener.BulkRunEnded(runId));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  void bulkLimitChanged(long runId, int allowed, boolean slowedDown) {
    try {
      listener.bulkLimitChanged(new TpnsEventListener.BulkLimitChanged(runId, allowed, slowedDown));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  void bulkCallEnded(int succeeded, int failed) {
    try {
      listener.bulkCallEnded(new TpnsEventListener.BulkCallEnded(succeeded, failed));
    } catch (Throwable ignored) {
      // a listener never changes the outcome
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
