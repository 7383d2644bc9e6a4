package io.github.tpns4j;

import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Request;

/**
 * One logical call as a state machine: attempt, classify, decide, wait. The blocking driver ({@link
 * CallRunner#execute}) and the async one ({@link CallRunner.AsyncCall}) both run it, so the rules
 * live here once: the closed client, the retry policy, a bulk run's retry budget and its stop, the
 * deadline of the whole call, the earlier failures kept, and the events. One attempt runs at a
 * time; fields read by other threads are volatile.
 */
final class LogicalCall<T> {
  final CallSpec<T> spec;
  private final CallRunner runner;
  private final RetryBudget budget; // null outside bulk runs
  private final long deadline; // System.nanoTime() by which the call ends; unused when !hasDeadline
  private final boolean hasDeadline;
  private final long callStart;
  private final long callId; // for events; 0 when no listener
  private volatile int retries;
  private volatile long attemptStart;
  private volatile boolean stopped; // a bulk run stopped: no more retries
  private volatile TpnsException last; // the failure before the retry now pending
  private FailureLog earlier; // written by one attempt at a time
  private boolean ended;

  LogicalCall(CallRunner runner, CallSpec<T> spec, RetryBudget budget) {
    this.runner = runner;
    this.spec = spec;
    this.budget = budget;
    long now = runner.deadlineNanos > 0 || runner.events.on() ? System.nanoTime() : 0;
    this.hasDeadline = runner.deadlineNanos > 0;
    this.deadline = now + runner.deadlineNanos;
    this.callStart = now;
    this.callId = runner.events.on() ? runner.events.callStarted(spec.endpoint, budget != null) : 0;
  }

  int retries() {
    return retries;
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

  /**
   * Bounds the attempt by what is left of the deadline (with the client's {@code callTimeout} when
   * shorter). The first attempt keeps the client's own timeouts: an OkHttp call timeout costs a
   * watchdog wake-up per call, and connect and read timeouts already bound every step of it.
   */
  void limit(Call call) {
    if (!hasDeadline || (retries == 0 && runner.callTimeoutNanos == 0)) {
      return;
    }
    long left = Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
    long t = runner.callTimeoutNanos == 0 ? left : Math.min(runner.callTimeoutNanos, left);
    if (t != runner.callTimeoutNanos) {
      call.timeout().timeout(t, TimeUnit.NANOSECONDS);
    }
  }

  /** The attempt got {@code result}. */
  T succeeded(T result, int status) {
    if (runner.events.on()) {
      runner.events.attemptEnded(
          callId,
          spec.endpoint,
          retries + 1,
          attemptStart,
          status,
          spec.retCodeOf.applyAsInt(result),
          null);
    }
    return result;
  }

  /**
   * The attempt failed: how long to wait before the next one, in nanoseconds, or -1 when the call
   * ends with {@code failure}. Retried when the policy says so and, in a bulk run, the run's budget
   * has a retry left (rate limits are the run's to handle) and the run has not stopped; never past
   * the deadline: a wait that would end after it ends the call now, with the failure (so a {@code
   * Retry-After} too long for the deadline is in its {@code retryAfter()}).
   */
  long failed(TpnsException failure, int status) {
    CallRunner r = runner;
    if (r.events.on()) {
      r.events.attemptEnded(
          callId,
          spec.endpoint,
          retries + 1,
          attemptStart,
          status,
          Events.retCodeOf(failure),
          failure);
    }
    long delay;
    // A closed client is the drivers' to handle: a retry it would have made ends as "closed".
    if (stopped) {
      delay = -1;
    } else if (budget != null && RetryPolicy.isRateLimit(failure)) {
      delay = -1; // a bulk run slows down as a whole instead
    } else {
      delay = r.policy.delayNanos(failure, retries);
    }
    if (delay >= 0 && hasDeadline && System.nanoTime() + delay - deadline >= 0) {
      delay = -1;
    }
    if (delay >= 0 && budget != null && !budget.tryAcquire()) {
      delay = -1;
    }
    if (delay < 0) {
      return -1;
    }
    if (earlier == null) {
      earlier = new FailureLog();
    }
    earlier.add(failure);
    last = failure;
    retries++;
    if (r.events.on()) {
      r.events.retryScheduled(callId, spec.endpoint, retries, delay, failure);
    }
    return delay;
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
          retries + 1,
          callStart,
          spec.retCodeOf.applyAsInt(result),
          null,
          false);
    } else {
      runner.events.callEnded(
          callId,
          spec.endpoint,
          retries + 1,
          callStart,
          null,
          failure instanceof TpnsException
              ? (TpnsException) failure
              : runner.reader.unexpected(spec, null, failure),
          requeued);
    }
  }
}
