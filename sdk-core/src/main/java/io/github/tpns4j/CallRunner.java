package io.github.tpns4j;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Runs logical calls to the end: attempts through {@link Exchange}, retries as {@link RetryPolicy}
 * says, sync on the caller's thread or async on OkHttp's dispatcher with waits on the {@link
 * RetryScheduler}. Owns the client's "closed" state: after {@link #close()} nothing new reaches the
 * wire, nothing waits, and nothing is retried.
 */
final class CallRunner {
  private final OkHttpClient http;
  private final Exchange exchange;
  private final RetryPolicy policy;
  private final RetryScheduler scheduler = new RetryScheduler();
  private final AtomicBoolean closed;
  private final Events events;
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  /** Async calls not yet complete, so that close() can end those not on the wire. */
  private final Set<AsyncCall<?>> live = ConcurrentHashMap.newKeySet();

  /** Told once when the client closes (bulk runs waiting for completions). */
  private final Set<Runnable> closeListeners = ConcurrentHashMap.newKeySet();

  CallRunner(
      OkHttpClient http,
      Exchange exchange,
      RetryPolicy policy,
      AtomicBoolean closed,
      Events events) {
    this.http = http;
    this.exchange = exchange;
    this.policy = policy;
    this.closed = closed;
    this.events = events;
  }

  Events events() {
    return events;
  }

  boolean isClosed() {
    return closed.get();
  }

  RetryPolicy policy() {
    return policy;
  }

  RetryScheduler scheduler() {
    return scheduler;
  }

  /** Registers {@code listener} to run on close (at once if already closed); returns a remover. */
  Runnable onClose(Runnable listener) {
    closeListeners.add(listener);
    if (closed.get() && closeListeners.remove(listener)) {
      listener.run();
    }
    return () -> closeListeners.remove(listener);
  }

  /** Runs the call on this thread until it succeeds or must fail. */
  <T> T execute(Exchange.Spec<T> spec) {
    FailureLog earlier = null;
    boolean report = events.on();
    long callStart = report ? System.nanoTime() : 0;
    for (int retries = 0; ; retries++) {
      if (closed.get()) {
        throw ended(spec, retries, callStart, FailureLog.attach(earlier, Failures.closed()));
      }
      TpnsException failure;
      Request request = exchange.request(spec, null);
      long attemptStart = report ? System.nanoTime() : 0;
      int status = 0;
      try (Response response = http.newCall(request).execute()) {
        status = response.code();
        T result = exchange.read(spec, response);
        if (report) {
          Integer retCode = spec.retCodeOf.applyAsInt(result);
          events.attemptEnded(spec.endpoint, retries + 1, attemptStart, status, retCode, null);
          events.callEnded(spec.endpoint, retries + 1, callStart, retCode, null);
        }
        return result;
      } catch (TpnsException t) {
        failure = t;
      } catch (IOException e) {
        failure = exchange.failure(spec, request, e);
      } catch (Exception e) {
        failure = exchange.failure(spec, request, e);
      }
      if (report) {
        events.attemptEnded(
            spec.endpoint, retries + 1, attemptStart, status, Events.retCodeOf(failure), failure);
      }
      long delay = policy.delayNanos(failure, retries);
      if (delay < 0) {
        throw ended(spec, retries + 1, callStart, FailureLog.attach(earlier, failure));
      }
      if (earlier == null) {
        earlier = new FailureLog();
      }
      earlier.add(failure);
      if (report) {
        events.retryScheduled(spec.endpoint, retries + 1, delay, failure);
      }
      try {
        if (closedLatch.await(delay, TimeUnit.NANOSECONDS)) {
          throw ended(spec, retries + 1, callStart, earlier.attachTo(Failures.closed()));
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw ended(
            spec, retries + 1, callStart, earlier.attachTo(Failures.interrupted(spec.name, ie)));
      }
    }
  }

  /** Reports a call that ends with {@code failure}, and gives the failure back to be thrown. */
  private TpnsException ended(
      Exchange.Spec<?> spec, int attempts, long callStart, TpnsException failure) {
    if (events.on()) {
      events.callEnded(spec.endpoint, attempts, callStart, null, failure);
    }
    return failure;
  }

  /**
   * Runs the call on OkHttp's dispatcher. The future completes with the result or the exception
   * {@link #execute} would throw; cancelling it cancels the attempt in flight and any retry.
   *
   * @param retryRateLimits false for bulk runs, which slow down as a whole instead
   */
  <T> CompletableFuture<T> executeAsync(Exchange.Spec<T> spec, boolean retryRateLimits) {
    AsyncCall<T> call = new AsyncCall<>(spec, retryRateLimits);
    call.start(0);
    return call.future;
  }

  /**
   * Closes: wakes sync callers waiting to retry, ends async calls not on the wire and async retries
   * waiting for their turn (with the "closed" exception), drops scheduled retries, tells bulk runs.
   * Calls on the wire finish. Idempotent.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closedLatch.countDown();
    for (AsyncCall<?> call : live) {
      call.closeNow();
    }
    scheduler.close();
    for (Runnable r : closeListeners) {
      if (closeListeners.remove(r)) {
        r.run();
      }
    }
  }

  /** One async logical call: its attempts, their retries, and its future. */
  final class AsyncCall<T> implements Callback {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final Exchange.Spec<T> spec;
    private final boolean retryRateLimits;
    private final Object lock = new Object();
    private Exchange.WireState wire; // guarded by lock; null while waiting to retry
    private Call call; // guarded by lock
    private ScheduledFuture<?> retry; // guarded by lock
    // written by one attempt at a time; read by close() and the completion on other threads
    private volatile int retries;
    private FailureLog earlier; // likewise
    private final long callStart;
    private volatile long attemptStart;

    AsyncCall(Exchange.Spec<T> spec, boolean retryRateLimits) {
      this.spec = spec;
      this.retryRateLimits = retryRateLimits;
      this.callStart = events.on() ? System.nanoTime() : 0;
      live.add(this);
      future.whenComplete((r, t) -> finished(r, t));
    }

    private void finished(T result, Throwable t) {
      live.remove(this);
      if (events.on()) {
        if (t == null) {
          events.callEnded(
              spec.endpoint, retries + 1, callStart, spec.retCodeOf.applyAsInt(result), null);
        } else {
          events.callEnded(
              spec.endpoint,
              retries + 1,
              callStart,
              null,
              t instanceof TpnsException ? (TpnsException) t : exchange.unexpected(spec, null, t));
        }
      }
      if (future.isCancelled()) {
        Call c;
        ScheduledFuture<?> s;
        synchronized (lock) {
          c = call;
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

    void start(int retryNo) {
      try {
        if (future.isDone()) {
          return;
        }
        if (closed.get()) {
          fail(Failures.closed());
          return;
        }
        retries = retryNo;
        if (events.on()) {
          attemptStart = System.nanoTime();
        }
        Exchange.WireState w = new Exchange.WireState();
        Call c = http.newCall(exchange.request(spec, w));
        synchronized (lock) {
          wire = w;
          call = c;
          retry = null;
        }
        if (future.isCancelled()) {
          c.cancel();
          return;
        }
        c.enqueue(this);
      } catch (Throwable t) {
        fail(exchange.unexpected(spec, null, t));
      }
    }

    /** From close(): ends the call now unless its attempt is on the wire. */
    void closeNow() {
      Call c;
      synchronized (lock) {
        if (wire != null && !wire.closeBeforeWire()) {
          return; // on the wire: it finishes, and is not retried
        }
        c = call;
      }
      fail(Failures.closed());
      if (c != null) {
        c.cancel();
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
            fail(exchange.unexpected(spec, null, s));
            return;
          }
        }
        TpnsException failure = exchange.failure(spec, c.request(), e);
        if (events.on()) {
          events.attemptEnded(
              spec.endpoint, retries + 1, attemptStart, 0, Events.retCodeOf(failure), failure);
        }
        failed(failure);
      } catch (Throwable t) {
        fail(exchange.unexpected(spec, null, t));
      }
    }

    @Override
    public void onResponse(Call c, Response response) {
      T result;
      int status = response.code();
      try (Response r = response) {
        result = exchange.read(spec, r);
      } catch (TpnsException t) {
        if (events.on()) {
          events.attemptEnded(
              spec.endpoint, retries + 1, attemptStart, status, Events.retCodeOf(t), t);
        }
        failedSafely(t);
        return;
      } catch (Throwable t) {
        // Nothing escapes onto OkHttp's thread: an Error here (even OutOfMemoryError) ends the
        // call.
        try {
          fail(exchange.unexpected(spec, null, t));
        } catch (Throwable again) {
          future.completeExceptionally(t); // no room even for an exception: the cause as it is
        }
        return;
      }
      if (events.on()) {
        events.attemptEnded(
            spec.endpoint,
            retries + 1,
            attemptStart,
            status,
            spec.retCodeOf.applyAsInt(result),
            null);
      }
      future.complete(result);
    }

    private void failedSafely(TpnsException failure) {
      try {
        failed(failure);
      } catch (Throwable t) {
        fail(exchange.unexpected(spec, null, t));
      }
    }

    private void failed(TpnsException failure) {
      long delay =
          !retryRateLimits && RetryPolicy.isRateLimit(failure)
              ? -1
              : policy.delayNanos(failure, retries);
      if (delay < 0) {
        fail(failure);
        return;
      }
      if (earlier == null) {
        earlier = new FailureLog();
      }
      earlier.add(failure);
      int next = retries + 1;
      synchronized (lock) {
        wire = null; // waiting for a retry: close() ends it
        call = null;
      }
      if (events.on()) {
        events.retryScheduled(spec.endpoint, next, delay, failure);
      }
      if (closed.get()) {
        fail(Failures.closed());
        return;
      }
      if (delay == 0) {
        start(next);
        return;
      }
      ScheduledFuture<?> s = scheduler.schedule(() -> start(next), delay);
      if (s == null) {
        fail(Failures.closed());
        return;
      }
      synchronized (lock) {
        retry = s;
      }
      if (future.isDone()) {
        s.cancel(false);
      }
    }

    private void fail(TpnsException failure) {
      if (!future.isDone()) {
        future.completeExceptionally(FailureLog.attach(earlier, failure));
      }
    }
  }
}
