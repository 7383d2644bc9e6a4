package io.github.tpns4j;

import okhttp3.Call;
import okhttp3.Request;

/**
 * One logical call as a state machine: attempt, classify, decide, wait. The blocking driver ({@link
 * CallRunner#execute}) and the async one ({@link CallRunner.AsyncCall}) both run it, so the rules
 * live here once: the closed client, the retry policy, a bulk run's retry budget and its stop, the
 * deadline of the whole call, the earlier failures kept, and the events. One attempt runs at a
 * time; fields read by other threads are volatile.
 */
final class LogicalCall<T> implements Lifecycle.Deadlined {
  final CallSpec<T> spec;
  private final CallRunner runner;
  private final RetryBudget budget; // null outside bulk runs
  private final RetryPolicy.History history;
  private volatile long deadline; // System.nanoTime() by which it ends; unused when !hasDeadline
  private volatile long clockStart; // when its deadline started counting
  private final boolean hasDeadline;
  private final long callStart;
  private final long callId; // for events; 0 when no listener
  private volatile long attemptStart;
  private volatile boolean stopped; // a bulk run stopped: no more retries
  private volatile TpnsException last; // the failure before the retry now pending
  private volatile long resendAfter =
      -1; // RESEND: how long the bulk run waits before sending again
  private volatile String gaveUp; // why throttling was given up on; null when it was not
  private volatile TpnsException expired; // the deadline's failure, once made
  private volatile boolean expiredByWatch; // a blocking call's deadline passed
  private volatile Call current; // a blocking call's attempt, for the watch to cancel
  private FailureLog earlier; // written by one attempt at a time
  private boolean ended;

  /**
   * @param history the chunk's record when a bulk run sends it again; null for a new call
   */
  LogicalCall(
      CallRunner runner, CallSpec<T> spec, RetryBudget budget, RetryPolicy.History history) {
    this.runner = runner;
    this.spec = spec;
    this.budget = budget;
    long now = System.nanoTime();
    this.history = history != null ? history : new RetryPolicy.History(now);
    this.hasDeadline = runner.deadlineNanos > 0;
    this.deadline = now + runner.deadlineNanos;
    this.clockStart = now;
    this.callStart = now;
    this.callId = runner.events.on() ? runner.events.callStarted(spec.endpoint, budget != null) : 0;
  }

  /**
   * A bulk run's worker took the call: its deadline counts from now (the time it waited, ready, for
   * a free worker is the run's pacing, not the call's).
   */
  void startClock() {
    long now = System.nanoTime();
    clockStart = now;
    deadline = now + runner.deadlineNanos;
  }

  /** Whether an attempt was made before the one to come. */
  boolean retried() {
    return history.attempts() > 1;
  }

  boolean hasDeadline() {
    return hasDeadline;
  }

  /** What to say when the deadline passes before the call ends. */
  TpnsException deadlinePassed(TpnsException cause) {
    TpnsException e =
        Failures.deadlinePassed(
            spec.name,
            runner.deadlineNanos,
            history.attempts(),
            System.nanoTime() - clockStart,
            cause);
    expired = e;
    return e;
  }

  /** The request of the next attempt, or null when the client is closed (end with closed). */
  Request attempt(Lifecycle.WireState wire) {
    if (runner.lifecycle.isClosed()) {
      return null;
    }
    if (runner.events.on()) {
      attemptStart = System.nanoTime();
    }
    return runner.requests.request(spec, wire);
  }

  @Override
  public long deadlineNanos() {
    return deadline;
  }

  /**
   * A blocking call's deadline passed (from the watch): its attempt is cancelled, and the call ends
   * with the deadline's failure.
   */
  @Override
  public void expire() {
    expiredByWatch = true;
    Call c = current;
    if (c != null) {
      c.cancel();
    }
  }

  /**
   * A blocking attempt is about to run {@code call}: false when the deadline already passed (end
   * the call with {@link #end}). The watch cancels it if the deadline passes while it runs.
   */
  boolean expired() {
    return expiredByWatch;
  }

  boolean running(Call call) {
    current = call;
    return !expiredByWatch;
  }

  /** The attempt got {@code result}. */
  T succeeded(T result, int status) {
    if (runner.events.on()) {
      runner.events.attemptEnded(
          callId,
          spec.endpoint,
          history.attempts(),
          attemptStart,
          status,
          spec.retCodeOf.applyAsInt(result),
          null);
    }
    return result;
  }

  /**
   * The attempt failed: how long to wait before the next one, in nanoseconds, or -1 when the call
   * ends with {@code failure}. {@link RetryPolicy#decide} decides, from the call's history; a
   * rate-limited call of a bulk run ends here and the run sends it again after {@link
   * #resendAfterNanos()}.
   */
  long failed(TpnsException failure, int status) {
    CallRunner r = runner;
    RetryPolicy.History h = history;
    if (r.events.on()) {
      r.events.attemptEnded(
          callId,
          spec.endpoint,
          h.attempts(),
          attemptStart,
          status,
          Events.retCodeOf(failure),
          failure);
    }
    // A closed client is the drivers' to handle: a retry it would have made ends as "closed".
    RetryPolicy.Decision d =
        r.policy.decide(h, failure, System.nanoTime(), hasDeadline, deadline, stopped, budget);
    switch (d.kind) {
      case RESEND:
        h.throttles++;
        resendAfter = d.delayNanos;
        return -1;
      case FAIL:
        gaveUp = d.gaveUp;
        return -1;
      case RETRY_THROTTLED:
        h.throttles++;
        break;
      default:
        h.retries++;
    }
    if (earlier == null) {
      earlier = new FailureLog();
    }
    earlier.add(failure);
    last = failure;
    if (r.events.on()) {
      r.events.retryScheduled(callId, spec.endpoint, h.attempts() - 1, d.delayNanos, failure);
    }
    return d.delayNanos;
  }

  /** After a rate limit in a bulk run: the wait before sending the call again; -1 when none. */
  long resendAfterNanos() {
    return resendAfter;
  }

  /** Why the SDK gave up on a rate-limited call (its patience ran out); null when it did not. */
  String gaveUpOnThrottling() {
    return gaveUp;
  }

  /** A bulk run stopped: no retry from now on. */
  void stop() {
    stopped = true;
  }

  boolean isStopped() {
    return stopped;
  }

  /** The failure that led to the retry now pending. */
  TpnsException lastFailure() {
    return last;
  }

  /** {@code failure}, ending the call, with the earlier attempts' failures suppressed in it. */
  TpnsException end(TpnsException failure) {
    if (hasDeadline && failure != expired && failure instanceof TpnsTransportException) {
      if (expiredByWatch) {
        failure = deadlinePassed(null); // the watch cancelled the attempt: nothing more to say
      } else if (failure.isRetryable() && System.nanoTime() - deadline >= 0) {
        failure = deadlinePassed(failure); // a timeout that ran into the deadline
      }
    }
    return FailureLog.attach(earlier, failure);
  }

  /**
   * Whether the end of the call is the bulk run's to report: a rate limit, which the run may send
   * again ({@link #reportEnd(Object, Throwable, boolean)} with whether it did).
   */
  boolean endReportedByRun(Throwable failure) {
    return budget != null
        && failure instanceof TpnsException
        && RetryPolicy.isRateLimit((TpnsException) failure);
  }

  /** Reports the call's end once: with its result, or with what it failed with. */
  void reportEnd(T result, Throwable failure) {
    reportEnd(result, failure, false);
  }

  /**
   * Reports the call's end once.
   *
   * @param requeued true when its bulk run sends its items again
   */
  void reportEnd(T result, Throwable failure, boolean requeued) {
    reportEnd(result, failure, requeued, true);
  }

  /**
   * Reports the end of a call its bulk run took back before any attempt of it was sent: requeued,
   * not sent.
   */
  void reportWithdrawn(TpnsException notSent) {
    reportEnd(null, notSent, true, false);
  }

  private void reportEnd(T result, Throwable failure, boolean requeued, boolean sent) {
    if (!runner.events.on()) {
      return; // no listener: nothing to report, and no lock taken
    }
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    if (failure == null) {
      runner.events.callEnded(
          callId,
          spec.endpoint,
          history.attempts(),
          callStart,
          spec.retCodeOf.applyAsInt(result),
          null,
          false,
          true);
    } else {
      runner.events.callEnded(
          callId,
          spec.endpoint,
          history.attempts(),
          callStart,
          null,
          failure instanceof TpnsException
              ? (TpnsException) failure
              : runner.reader.unexpected(spec, null, failure),
          requeued,
          sent);
    }
  }
}
