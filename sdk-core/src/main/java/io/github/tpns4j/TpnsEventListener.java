package io.github.tpns4j;

import java.time.Duration;

/**
 * Receives what a {@link TpnsClient} does, for metrics and logs: attempts, calls, retries, bulk
 * slow-downs. Set one with {@link TpnsClient.Builder#eventListener}. Every method has an empty
 * default; override the ones you need.
 *
 * <p>Methods are called on whichever thread did the work (the caller's, an OkHttp dispatcher
 * thread, the retry timer, a bulk run's thread), never while the client holds a lock. They must be
 * quick and thread-safe. A listener that throws is ignored: it never changes a call's outcome.
 * Events carry no token, account, message body or credential.
 */
public interface TpnsEventListener {
  /** The endpoint of an event. */
  enum Endpoint {
    /** {@code POST /v3/device/account/batchoperate}. */
    BATCHOPERATE("batchoperate"),
    /** {@code POST /v3/device/account/query}. */
    QUERY("query");

    private final String tag;

    Endpoint(String tag) {
      this.tag = tag;
    }

    /** A short lower-case name, e.g. {@code batchoperate}, usable as a metric tag. */
    public String tag() {
      return tag;
    }
  }

  /**
   * A call started (before its first attempt), on the thread that made it: the place to start a
   * span or an observation, whose parent is then what is current on that thread. Every call that
   * starts ends with exactly one {@link #callEnded}, with the same {@code callId()}.
   */
  default void callStarted(CallStarted event) {}

  /** One HTTP attempt ended, with an answer or an I/O failure. */
  default void attemptEnded(AttemptEnded event) {}

  /**
   * A call ended after its retries, with a result or an exception. A bulk run's call that was rate
   * limited ends with {@link CallEnded#requeued()} true when the run sends its items again (after
   * slowing down): not a failed call.
   */
  default void callEnded(CallEnded event) {}

  /** A retry was scheduled. */
  default void retryScheduled(RetryScheduled event) {}

  /** A bulk run started, allowing {@link BulkRunStarted#callsInFlightAllowed()} calls at once. */
  default void bulkRunStarted(BulkRunStarted event) {}

  /** A bulk run changed how many calls it allows in flight (slowed down, or grew back). */
  default void bulkLimitChanged(BulkLimitChanged event) {}

  /** A bulk run ended, with a result or a stop. */
  default void bulkRunEnded(BulkRunEnded event) {}

  /** A call of a bulk run ended: how many of its items succeeded or failed. */
  default void bulkCallEnded(BulkCallEnded event) {}

  /** See {@link #callStarted}. */
  final class CallStarted {
    private final long callId;
    private final Endpoint endpoint;
    private final boolean bulk;

    CallStarted(long callId, Endpoint endpoint, boolean bulk) {
      this.callId = callId;
      this.endpoint = endpoint;
      this.bulk = bulk;
    }

    /** The call's number, unique within its client: the same in all the events of one call. */
    public long callId() {
      return callId;
    }

    /** The endpoint called. */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** Whether the call is one of a bulk run's. */
    public boolean bulk() {
      return bulk;
    }

    @Override
    public String toString() {
      return "CallStarted{callId=" + callId + ", endpoint=" + endpoint + ", bulk=" + bulk + "}";
    }
  }

  /** See {@link #attemptEnded}. */
  final class AttemptEnded {
    private final long callId;
    private final Endpoint endpoint;
    private final int attempt;
    private final Duration elapsed;
    private final int httpStatus;
    private final Integer retCode;
    private final TpnsException failure;

    AttemptEnded(
        long callId,
        Endpoint endpoint,
        int attempt,
        Duration elapsed,
        int httpStatus,
        Integer retCode,
        TpnsException failure) {
      this.callId = callId;
      this.endpoint = endpoint;
      this.attempt = attempt;
      this.elapsed = elapsed;
      this.httpStatus = httpStatus;
      this.retCode = retCode;
      this.failure = failure;
    }

    /** The call's number, unique within its client: the same in all the events of one call. */
    public long callId() {
      return callId;
    }

    /** The endpoint called. */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** 1 for the first attempt of a call. */
    public int attempt() {
      return attempt;
    }

    /** From sending the request to the end of reading the answer (or the failure). */
    public Duration elapsed() {
      return elapsed;
    }

    /** The answer's HTTP status; 0 when there was none (an I/O failure or timeout). */
    public int httpStatus() {
      return httpStatus;
    }

    /** The answer's {@code ret_code}, or null when it had none (no answer, or not TPNS JSON). */
    public Integer retCode() {
      return retCode;
    }

    /** What this attempt failed with, or null when it gave a result. */
    public TpnsException failure() {
      return failure;
    }

    /** Whether the attempt got no HTTP answer: an I/O failure or a timeout. */
    public boolean isIoFailure() {
      return httpStatus == 0;
    }

    @Override
    public String toString() {
      return "AttemptEnded{endpoint="
          + endpoint
          + ", attempt="
          + attempt
          + ", elapsed="
          + elapsed
          + ", httpStatus="
          + httpStatus
          + ", retCode="
          + retCode
          + ", failed="
          + (failure != null)
          + "}";
    }
  }

  /** See {@link #callEnded}. */
  final class CallEnded {
    private final long callId;
    private final Endpoint endpoint;
    private final int attempts;
    private final Duration elapsed;
    private final Integer retCode;
    private final TpnsException failure;
    private final boolean requeued;
    private final boolean sent;

    CallEnded(
        long callId,
        Endpoint endpoint,
        int attempts,
        Duration elapsed,
        Integer retCode,
        TpnsException failure,
        boolean requeued,
        boolean sent) {
      this.sent = sent;
      this.callId = callId;
      this.endpoint = endpoint;
      this.attempts = attempts;
      this.elapsed = elapsed;
      this.retCode = retCode;
      this.failure = failure;
      this.requeued = requeued;
    }

    /** The call's number, unique within its client: the same in all the events of one call. */
    public long callId() {
      return callId;
    }

    /**
     * True when the call was rate limited and its bulk run sends its items again: the run slowed
     * down, and the call is not a failure (its {@link #failure()} says why it was sent again). Also
     * true for a call its run took back before sending it ({@link #sent()} false).
     */
    public boolean requeued() {
      return requeued;
    }

    /**
     * False when its bulk run took the call back before it sent any attempt of it (the run paused
     * for a rate limit, or stopped): then {@link #requeued()} is true, and the call is neither a
     * retry nor a failure; its items go again in another call, or are left unanswered.
     */
    public boolean sent() {
      return sent;
    }

    /** The endpoint called. */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** How many attempts were made. */
    public int attempts() {
      return attempts;
    }

    /** From the call's start to its end, backoff included. */
    public Duration elapsed() {
      return elapsed;
    }

    /** The result's {@code ret_code} (0, 1008026 or 1008027); null when the call failed. */
    public Integer retCode() {
      return retCode;
    }

    /** The exception the call ended with, or null when it gave a result. */
    public TpnsException failure() {
      return failure;
    }

    @Override
    public String toString() {
      return "CallEnded{endpoint="
          + endpoint
          + ", attempts="
          + attempts
          + ", elapsed="
          + elapsed
          + ", retCode="
          + retCode
          + ", failed="
          + (failure != null)
          + ", requeued="
          + requeued
          + (sent ? "" : ", sent=false")
          + "}";
    }
  }

  /** See {@link #retryScheduled}. */
  final class RetryScheduled {
    private final long callId;
    private final Endpoint endpoint;
    private final int retry;
    private final Duration delay;
    private final TpnsException cause;

    RetryScheduled(long callId, Endpoint endpoint, int retry, Duration delay, TpnsException cause) {
      this.callId = callId;
      this.endpoint = endpoint;
      this.retry = retry;
      this.delay = delay;
      this.cause = cause;
    }

    /** The call's number, unique within its client: the same in all the events of one call. */
    public long callId() {
      return callId;
    }

    /** The endpoint called. */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** 1 for the first retry of a call. */
    public int retry() {
      return retry;
    }

    /** How long the call waits before the retry. */
    public Duration delay() {
      return delay;
    }

    /** The failure being retried. */
    public TpnsException cause() {
      return cause;
    }

    @Override
    public String toString() {
      return "RetryScheduled{endpoint=" + endpoint + ", retry=" + retry + ", delay=" + delay + "}";
    }
  }

  /** See {@link #bulkRunStarted}. */
  final class BulkRunStarted {
    private final long runId;
    private final int callsInFlightAllowed;

    BulkRunStarted(long runId, int callsInFlightAllowed) {
      this.runId = runId;
      this.callsInFlightAllowed = callsInFlightAllowed;
    }

    /** The run's number, unique within its client; the same in its other events. */
    public long runId() {
      return runId;
    }

    /** The calls in flight the run allows at its start: its request's concurrency. */
    public int callsInFlightAllowed() {
      return callsInFlightAllowed;
    }

    @Override
    public String toString() {
      return "BulkRunStarted{runId="
          + runId
          + ", callsInFlightAllowed="
          + callsInFlightAllowed
          + "}";
    }
  }

  /** See {@link #bulkRunEnded}. */
  final class BulkRunEnded {
    private final long runId;

    BulkRunEnded(long runId) {
      this.runId = runId;
    }

    /** The run's number, as in {@link BulkRunStarted#runId()}. */
    public long runId() {
      return runId;
    }

    @Override
    public String toString() {
      return "BulkRunEnded{runId=" + runId + "}";
    }
  }

  /** See {@link #bulkLimitChanged}. */
  final class BulkLimitChanged {
    private final long runId;
    private final int callsInFlightAllowed;
    private final boolean slowedDown;

    BulkLimitChanged(long runId, int callsInFlightAllowed, boolean slowedDown) {
      this.runId = runId;
      this.callsInFlightAllowed = callsInFlightAllowed;
      this.slowedDown = slowedDown;
    }

    /** The run's number, as in {@link BulkRunStarted#runId()}. */
    public long runId() {
      return runId;
    }

    /** The calls in flight the run now allows. */
    public int callsInFlightAllowed() {
      return callsInFlightAllowed;
    }

    /** True when the run slowed down (rate limited), false when it grew back. */
    public boolean slowedDown() {
      return slowedDown;
    }

    @Override
    public String toString() {
      return "BulkLimitChanged{runId="
          + runId
          + ", callsInFlightAllowed="
          + callsInFlightAllowed
          + ", slowedDown="
          + slowedDown
          + "}";
    }
  }

  /** See {@link #bulkCallEnded}. */
  final class BulkCallEnded {
    private final int itemsSucceeded;
    private final int itemsFailed;

    BulkCallEnded(int itemsSucceeded, int itemsFailed) {
      this.itemsSucceeded = itemsSucceeded;
      this.itemsFailed = itemsFailed;
    }

    /** Items of the call that succeeded. */
    public int itemsSucceeded() {
      return itemsSucceeded;
    }

    /** Items not known to have succeeded, the whole call's when it failed as a whole. */
    public int itemsFailed() {
      return itemsFailed;
    }

    @Override
    public String toString() {
      return "BulkCallEnded{itemsSucceeded="
          + itemsSucceeded
          + ", itemsFailed="
          + itemsFailed
          + "}";
    }
  }
}
