package io.github.tpns4j;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Drives {@link LogicalCall}s: on the caller's thread ({@link #execute}), or on OkHttp's dispatcher
 * with waits on the {@link RetryScheduler} ({@link #executeAsync}). The drivers do only I/O and
 * waiting; every decision is the call's. Thread-safe.
 */
final class CallRunner {
  final OkHttpClient http;
  final SignedRequests requests;
  final AnswerReader reader;
  final RetryPolicy policy;
  final Lifecycle lifecycle;
  final Events events;
  final long deadlineNanos; // 0: none
  final long callTimeoutNanos; // the OkHttp client's call timeout; 0: none
  private final Executor callbackExecutor; // null: futures complete on OkHttp's threads

  CallRunner(
      OkHttpClient http,
      SignedRequests requests,
      AnswerReader reader,
      RetryPolicy policy,
      Lifecycle lifecycle,
      Events events,
      long deadlineNanos,
      Executor callbackExecutor) {
    this.http = http;
    this.requests = requests;
    this.reader = reader;
    this.policy = policy;
    this.lifecycle = lifecycle;
    this.events = events;
    this.deadlineNanos = deadlineNanos;
    this.callTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(http.callTimeoutMillis());
    this.callbackExecutor = callbackExecutor;
  }

  /** Runs the call on this thread until it succeeds or must fail. */
  <T> T execute(CallSpec<T> spec) {
    LogicalCall<T> c = new LogicalCall<>(this, spec, null, null);
    if (c.hasDeadline()) {
      lifecycle.watch(c);
    }
    try {
      T result = run(c);
      c.reportEnd(result, null);
      return result;
    } catch (TpnsException e) {
      c.reportEnd(null, e);
      throw e;
    } finally {
      if (c.hasDeadline()) {
        lifecycle.unwatch(c);
      }
    }
  }

  private <T> T run(LogicalCall<T> c) {
    while (true) {
      Request request = c.attempt(null);
      if (request == null) {
        throw c.end(Failures.closed());
      }
      Call call = http.newCall(request);
      if (!c.running(call)) {
        throw c.end(c.deadlinePassed(null));
      }
      TpnsException failure;
      int status = 0;
      try (Response response = call.execute()) {
        status = response.code();
        return c.succeeded(reader.read(c.spec, response), status);
      } catch (TpnsException t) {
        failure = t;
      } catch (Exception e) {
        // cancelled by the deadline watch: that is what ended it, not a cancellation
        failure = c.expired() ? c.deadlinePassed(null) : reader.failure(c.spec, request, e);
      }
      long delay = c.failed(failure, status);
      if (delay < 0) {
        throw c.end(failure);
      }
      try {
        if (lifecycle.sleepUnlessClosed(delay)) {
          throw c.end(Failures.closed());
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw c.end(Failures.interrupted(c.spec.name, ie));
      }
    }
  }

  /**
   * Runs the call on OkHttp's dispatcher. The future completes with the result or the exception
   * {@link #execute} would throw, on the client's callback executor when it has one; cancelling it
   * cancels the attempt in flight and any retry.
   */
  <T> CompletableFuture<T> executeAsync(CallSpec<T> spec) {
    AsyncCall<T> call = new AsyncCall<>(new LogicalCall<>(this, spec, null, null), null);
    call.start();
    return callbackExecutor == null
        ? call.future
        : completeOn(callbackExecutor, lifecycle.completions(), call.future);
  }

  /**
   * A bulk run's call, not started: retried within {@code budget}, its attempts run on {@code
   * lane}'s workers as blocking calls (the run's worker takes it: {@link AsyncCall#prepare}, then
   * {@link AsyncCall#run}); its future completes there, or on the retry timer.
   *
   * @param history the chunk's record, kept across the run's resends
   */
  <T> AsyncCall<T> bulkCall(
      CallSpec<T> spec, RetryBudget budget, RetryPolicy.History history, Lane lane) {
    return new AsyncCall<>(new LogicalCall<>(this, spec, budget, history), lane);
  }

  /**
   * A future completed on {@code executor} as {@code source} completes; cancelling it cancels the
   * source. When the executor refuses the task (an app's pool shut down first, say), it completes
   * on {@code fallback}, a tpns4j completion thread: never on the thread that completed the source
   * (OkHttp's, the retry timer, or the one calling {@code close()}).
   */
  static <T> CompletableFuture<T> completeOn(
      Executor executor, Executor fallback, CompletableFuture<T> source) {
    CompletableFuture<T> out = new CompletableFuture<>();
    source.whenComplete(
        (r, t) -> {
          Runnable complete =
              () -> {
                if (t == null) {
                  out.complete(r);
                } else {
                  out.completeExceptionally(t);
                }
              };
          try {
            executor.execute(complete);
          } catch (Throwable rejected) {
            fallback.execute(complete);
          }
        });
    out.whenComplete(
        (r, t) -> {
          if (out.isCancelled()) {
            source.cancel(true);
          }
        });
    return out;
  }

  /**
   * The async driver of one logical call: its attempts (enqueued on OkHttp's dispatcher, or for a
   * bulk run run blocking on its lane's workers), its waits, and its future.
   */
  final class AsyncCall<T> implements Callback, Lifecycle.Closeable, Lifecycle.Deadlined, Lane.Job {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final LogicalCall<T> call;
    private final Lane lane; // null outside bulk runs
    private final Object lock = new Object();
    private Lifecycle.WireState wire; // guarded by lock; null while waiting to retry
    private Call okCall; // guarded by lock
    private ScheduledFuture<?> retry; // guarded by lock

    AsyncCall(LogicalCall<T> call, Lane lane) {
      this.call = call;
      this.lane = lane;
      lifecycle.register(this);
      // The deadline counts from now: time queued in the dispatcher, every attempt (a server
      // trickling bytes too) and every wait. OkHttp's own call timeout starts only when the
      // dispatcher runs the call. A bulk run's call counts from when a worker takes it.
      if (call.hasDeadline() && lane == null) {
        lifecycle.watch(this);
      }
      future.whenComplete(this::finished);
    }

    /** A bulk run's worker took the call, before its first attempt: its deadline counts now. */
    void taken() {
      if (call.hasDeadline()) {
        call.startClock();
        lifecycle.watch(this);
        if (future.isDone()) {
          lifecycle.unwatch(this); // it ended meanwhile: nothing to watch
        }
      }
    }

    @Override
    public long deadlineNanos() {
      return call.deadlineNanos();
    }

    /** The deadline passed: the call ends now, and its attempt or pending retry is cancelled. */
    @Override
    public void expire() {
      if (future.isDone()) {
        return;
      }
      Call c;
      ScheduledFuture<?> s;
      synchronized (lock) {
        c = okCall;
        s = retry;
      }
      fail(call.deadlinePassed(null));
      if (c != null) {
        c.cancel();
      }
      if (s != null) {
        s.cancel(false);
      }
    }

    private void finished(T result, Throwable t) {
      lifecycle.unregister(this);
      lifecycle.unwatch(this);
      Throwable cause = Failures.unwrap(t);
      if (!call.endReportedByRun(cause)) {
        call.reportEnd(result, cause);
      }
      if (future.isCancelled()) {
        Call c;
        ScheduledFuture<?> s;
        synchronized (lock) {
          c = okCall;
          s = retry;
        }
        if (c != null) {
          c.cancel();
        }
        if (s != null) {
          s.cancel(false);
        }
      }
    }

    /** Sends the next attempt: on the dispatcher, or on the bulk run's lane. */
    void start() {
      if (lane != null) {
        lane.retry(this);
        return;
      }
      Call c = prepare();
      if (c != null) {
        try {
          c.enqueue(this);
        } catch (Throwable t) {
          abandon(t); // an EventListener of the caller's OkHttpClient threw, say
        }
      }
    }

    /**
     * Its bulk run took it back before any worker took it: it ends now, unsent, reported as
     * requeued (its items go again in another call, or are left unanswered).
     */
    void withdraw() {
      TpnsException notSent = Failures.notSent(call.spec.name);
      call.reportWithdrawn(notSent);
      future.completeExceptionally(notSent);
    }

    /**
     * Makes the next attempt's OkHttp call; null when the call ended instead (done, stopped,
     * closed, cancelled).
     */
    @Override
    public Call prepare() {
      try {
        if (future.isDone()) {
          return null;
        }
        if (call.retried() && call.isStopped()) {
          fail(call.lastFailure());
          return null;
        }
        Lifecycle.WireState w = new Lifecycle.WireState();
        Request request = call.attempt(w);
        if (request == null) {
          fail(Failures.closed());
          return null;
        }
        Call c = http.newCall(request);
        synchronized (lock) {
          wire = w;
          okCall = c;
          retry = null;
        }
        if (future.isDone()) {
          c.cancel(); // cancelled, or ended by the deadline watch, meanwhile
          return null;
        }
        return c;
      } catch (Throwable t) {
        abandon(t);
        return null;
      }
    }

    /** Runs the attempt {@link #prepare} made, on this thread (a bulk run's worker). */
    @Override
    public void run(Call c) {
      Response response;
      try {
        response = c.execute();
      } catch (IOException e) {
        onFailure(c, e);
        return;
      } catch (Throwable t) {
        abandon(t);
        return;
      }
      onResponse(c, response);
    }

    /** The attempt could not run ({@code t}): the call ends with it, not retried. */
    @Override
    public void abandon(Throwable t) {
      try {
        // A closed client shuts its OkHttp client's executor down: that is why it refused.
        fail(
            lifecycle.isClosed()
                ? Failures.closed()
                : t instanceof TpnsException
                    ? (TpnsException) t
                    : reader.unexpected(call.spec, null, t));
      } catch (Throwable again) {
        future.completeExceptionally(t); // no room even for an exception: the cause as it is
      }
    }

    /** After a rate limit: how long the bulk run waits before sending the call again; -1: never. */
    long resendAfterNanos() {
      return call.resendAfterNanos();
    }

    /** Why the client gave up on a rate-limited call; null when it did not. */
    String gaveUpOnThrottling() {
      return call.gaveUpOnThrottling();
    }

    /** The bulk run reports the end of a rate-limited call: whether it sends its items again. */
    void reportRateLimited(Throwable failure, boolean requeued) {
      call.reportEnd(null, failure, requeued);
    }

    /** From close(): ends the call now unless its attempt is on the wire. */
    @Override
    public void closeNow() {
      Call c;
      synchronized (lock) {
        if (wire != null && !wire.closeBeforeWire()) {
          return; // on the wire: it finishes, and is not retried
        }
        c = okCall;
      }
      fail(Failures.closed());
      if (c != null) {
        c.cancel();
      }
    }

    /**
     * From a bulk run that stopped: no more retries. A retry waiting for its turn ends now with the
     * failure that led to it; an attempt on the wire finishes and is not retried.
     */
    void stopRetrying() {
      call.stop();
      ScheduledFuture<?> s;
      synchronized (lock) {
        s = wire == null ? retry : null;
      }
      if (s != null && s.cancel(false)) {
        fail(call.lastFailure());
      }
    }

    @Override
    public void onFailure(Call c, IOException e) {
      try {
        if (future.isDone()) {
          return;
        }
        for (Throwable s : e.getSuppressed()) {
          if (s instanceof Error) {
            // OkHttp's "canceled due to" wrapper of an Error thrown on its thread.
            fail(reader.unexpected(call.spec, null, s));
            return;
          }
        }
        failed(reader.failure(call.spec, c.request(), e), 0);
      } catch (Throwable t) {
        fail(reader.unexpected(call.spec, null, t));
      }
    }

    @Override
    public void onResponse(Call c, Response response) {
      T result;
      int code = response.code();
      try (Response r = response) {
        result = reader.read(call.spec, r);
      } catch (TpnsException t) {
        try {
          failed(t, code);
        } catch (Throwable again) {
          fail(reader.unexpected(call.spec, null, again));
        }
        return;
      } catch (Throwable t) {
        // Nothing escapes onto OkHttp's thread: an Error here (even OutOfMemoryError) ends the
        // call.
        try {
          fail(reader.unexpected(call.spec, null, t));
        } catch (Throwable again) {
          future.completeExceptionally(t); // no room even for an exception: the cause as it is
        }
        return;
      }
      T done = call.succeeded(result, code);
      // Reported before the future completes: its dependent stages (a bulk run, the caller's)
      // see the call's events already recorded.
      call.reportEnd(done, null);
      future.complete(done);
    }

    private void failed(TpnsException failure, int code) {
      long delay = call.failed(failure, code);
      if (delay < 0) {
        fail(failure);
        return;
      }
      synchronized (lock) {
        wire = null; // waiting for a retry: close() ends it
        okCall = null;
      }
      if (lifecycle.isClosed()) {
        fail(Failures.closed());
        return;
      }
      if (delay == 0) {
        start();
        return;
      }
      ScheduledFuture<?> s = lifecycle.scheduler().schedule(this::start, delay);
      if (s == null) {
        fail(Failures.closed());
        return;
      }
      synchronized (lock) {
        retry = s;
      }
      if (future.isDone() || call.isStopped()) {
        if (s.cancel(false) && !future.isDone()) {
          fail(failure);
        }
      }
    }

    private void fail(TpnsException failure) {
      if (!future.isDone()) {
        TpnsException ended = call.end(failure);
        if (!call.endReportedByRun(ended)) {
          call.reportEnd(null, ended); // before the future completes, as for a result
        }
        future.completeExceptionally(ended);
      }
    }
  }
}
