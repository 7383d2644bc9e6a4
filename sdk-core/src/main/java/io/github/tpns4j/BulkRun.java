package io.github.tpns4j;

import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkProgressListener;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One bulk run, driven entirely by the caller's thread: it reads the input ({@link BulkInput}),
 * sends as {@link BulkFlow} allows, tallies answers ({@link BulkTally}) and calls the progress
 * listener, holding no lock. OkHttp's threads only post completions into a queue allocated up front
 * (so that even an {@code OutOfMemoryError} there cannot lose one), and {@code close()} posts a
 * wake-up. Every way out ends {@link #run()}: a result, or {@link TpnsBulkStoppedException}.
 */
final class BulkRun {
  /** How long the run's thread waits at most between looks at its state. */
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** A call's outcome, posted by whichever thread completes it. */
  private static final class InFlight {
    final BulkInput.Chunk chunk;
    long seq; // BulkFlow's number for it
    CallRunner.AsyncCall<BatchOperateResult> call; // null when sending threw
    CompletableFuture<BatchOperateResult> future;
    volatile BatchOperateResult result;
    volatile Throwable error;

    InFlight(BulkInput.Chunk chunk) {
      this.chunk = chunk;
    }
  }

  private static final Object WAKE = new Object();

  private final BulkRequest request;
  private final BulkTransport transport;
  private final BulkProgressListener listener;
  private final BulkFlow flow;
  private final BulkTally tally = new BulkTally();
  private final RetryBudget budget;
  private final Deque<BulkInput.Chunk> requeued = new ArrayDeque<>();
  private final Map<InFlight, Boolean> inFlight = new IdentityHashMap<>();
  private final BlockingQueue<Object> completions;
  private volatile Throwable lostCompletion; // an Error that kept a completion from being posted

  private Throwable stopCause;
  private long stopIndex = -1;
  private long runId; // for events; 0 when no listener
  private boolean cancelled;

  BulkRun(BulkRequest request, BulkTransport transport) {
    this.request = request;
    this.transport = transport;
    this.listener = request.progressListener().orElse(null);
    this.flow = new BulkFlow(request.maxCallsInFlight());
    this.budget = RetryBudget.forRun(request.maxCallsInFlight());
    // One slot per call that can be in flight, plus wake-ups: offer() never blocks nor allocates.
    this.completions = new ArrayBlockingQueue<>(request.maxCallsInFlight() + 4);
  }

  BulkResult run() {
    BulkInput input;
    try {
      input = new BulkInput(request);
    } catch (BulkInput.Stop s) {
      stopCause = s.why;
      stopIndex = 0;
      throw stopped(null);
    }
    Runnable unregister = transport.onClose(() -> completions.offer(WAKE));
    Events events = transport.events();
    if (events.on()) {
      runId = events.nextRunId();
      events.bulkRunStarted(runId, flow.limit());
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!step(input)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
          stop(
              new TpnsException(
                  "the bulk run's thread was interrupted; calls in flight were cancelled", e),
              input.nextIndex());
          cancelInFlight();
        } catch (Throwable t) {
          // Anything thrown on this thread (an Error in a listener, in the input, here) stops
          // the run; calls in flight still finish and are accounted for.
          stop(t, input.nextIndex());
        }
      }
    } finally {
      unregister.run();
      if (events.on()) {
        events.bulkRunEnded(runId);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (stopCause == null) {
      return tally.result(request);
    }
    for (BulkInput.Chunk c : requeued) {
      tally.unanswered(c);
    }
    requeued.clear();
    input.unsent(stopIndex, tally::unsent);
    throw stopped(tally.result(request));
  }

  /** One turn of the loop; false when the run is over. */
  private boolean step(BulkInput input) throws InterruptedException {
    drainCompletions(input);
    if (stopCause == null && transport.isClosed()) {
      stop(Failures.closed(), input.nextIndex());
    }
    if (stopCause != null && transport.isClosed()) {
      cancelInFlight();
    }
    if (lostCompletion != null && stopCause == null) {
      stop(lostCompletion, input.nextIndex());
    }
    long wait = -1;
    if (stopCause == null) {
      while ((wait = flow.waitNanos(System.nanoTime())) == 0) {
        BulkInput.Chunk chunk = requeued.poll();
        if (chunk == null) {
          try {
            chunk = input.next();
          } catch (BulkInput.Stop s) {
            stop(s.why, s.index);
            break;
          }
          if (chunk == null) {
            break;
          }
          tally.sent();
        }
        send(chunk);
      }
    }
    boolean nothingLeft = stopCause != null || (input.ended() && requeued.isEmpty());
    if (nothingLeft && inFlight.isEmpty()) {
      return false;
    }
    if (!inFlight.isEmpty() && lostCompletion != null) {
      // A completion could not be posted: waiting for it would never end. Every call still
      // counted in flight is cancelled and its items accounted as unanswered.
      abandonInFlight(input);
      return false;
    }
    long timeout = wait > 0 ? Math.min(wait, MAX_WAIT_NANOS) : MAX_WAIT_NANOS;
    Object next = completions.poll(timeout, TimeUnit.NANOSECONDS);
    if (next != null && next != WAKE) {
      completed((InFlight) next, input);
    }
    return true;
  }

  private void send(BulkInput.Chunk chunk) {
    InFlight f = new InFlight(chunk);
    inFlight.put(f, Boolean.TRUE);
    f.seq = flow.sent();
    CompletableFuture<BatchOperateResult> future;
    try {
      f.call = transport.send(chunk.call, budget);
      future = f.call.future;
    } catch (Throwable t) {
      future = new CompletableFuture<>();
      future.completeExceptionally(t);
    }
    f.future = future;
    future.whenComplete(
        (result, error) -> {
          try {
            f.result = result;
            f.error = error;
            if (!completions.offer(f)) {
              lostCompletion = new IllegalStateException("bulk completion queue full");
            }
          } catch (Throwable t) {
            lostCompletion = t;
          }
        });
  }

  private void drainCompletions(BulkInput input) {
    Object next;
    while ((next = completions.poll()) != null) {
      if (next != WAKE) {
        completed((InFlight) next, input);
      }
    }
  }

  private void completed(InFlight f, BulkInput input) {
    if (inFlight.remove(f) == null) {
      return;
    }
    BulkInput.Chunk chunk = f.chunk;
    Throwable error = f.error;
    Events events = transport.events();
    if (error == null) {
      budget.refund();
      if (flow.completed(true) && events.on()) {
        events.bulkLimitChanged(runId, flow.limit(), false);
      }
      int succeeded = tally.answered(chunk, f.result);
      if (events.on()) {
        events.bulkCallEnded(succeeded, chunk.items.length - succeeded);
      }
      progress(input);
      return;
    }
    flow.completed(false);
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    boolean requeued = false;
    try {
      requeued = failed(f, cause, input, events);
    } finally {
      // The run reports a rate-limited call's end, since only it knows whether it sends it again:
      // a requeued call is not a failed call.
      if (f.call != null
          && cause instanceof TpnsException
          && RetryPolicy.isRateLimit((TpnsException) cause)) {
        f.call.reportRateLimited(cause, requeued);
      }
    }
  }

  /** A call that failed with {@code cause}: requeued (true), or accounted for (false). */
  private boolean failed(InFlight f, Throwable cause, BulkInput input, Events events) {
    BulkInput.Chunk chunk = f.chunk;
    if (cancelled || f.future.isCancelled() || !(cause instanceof TpnsException)) {
      tally.unanswered(chunk);
      if (!(cause instanceof TpnsException) && !f.future.isCancelled()) {
        stop(cause, input.nextIndex()); // an Error on a callback thread, or a bug
      }
      return false;
    }
    TpnsException e = (TpnsException) cause;
    Error fatal = errorIn(e);
    if (fatal != null) {
      // An Error on a callback thread, carried out by the client: the run stops with it.
      tally.unanswered(chunk);
      stop(fatal, input.nextIndex());
      return false;
    }
    if (stopCause == null && !transport.isClosed()) {
      long delay = transport.rateLimitDelayNanos(e, chunk.rateLimitRetries);
      if (delay >= 0 && budget.tryAcquire()) {
        chunk.rateLimitRetries++;
        requeued.addFirst(chunk);
        if (flow.rateLimited(f.seq, System.nanoTime(), delay) && events.on()) {
          events.bulkLimitChanged(runId, flow.limit(), true);
        }
        return true;
      }
    }
    if (isClosedFailure(e)) {
      tally.unanswered(chunk);
      return false;
    }
    boolean outage = tally.failedWhole(chunk, e);
    if (events.on()) {
      events.bulkCallEnded(0, chunk.items.length);
    }
    progress(input);
    if (sharedByEveryCall(e) || outage) {
      stop(e, input.nextIndex());
    }
    return false;
  }

  private static Error errorIn(Throwable t) {
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof Error) {
        return (Error) t;
      }
    }
    return null;
  }

  private boolean isClosedFailure(TpnsException e) {
    return transport.isClosed() && Failures.isClosed(e);
  }

  /** Failures every later call of the run would share: stop at once instead. */
  static boolean sharedByEveryCall(TpnsException e) {
    if (e instanceof TpnsAuthenticationException || e instanceof TpnsAppUnavailableException) {
      return true;
    }
    if (e instanceof TpnsHttpException) {
      int status = ((TpnsHttpException) e).httpStatus();
      return status == 401 || status == 403;
    }
    return false;
  }

  private void progress(BulkInput input) {
    if (listener == null) {
      return;
    }
    try {
      listener.onProgress(tally.itemsDone(), tally.callsDone());
    } catch (Throwable t) {
      stop(t, input.nextIndex());
    }
  }

  /**
   * Stops the run at {@code index}: nothing more is read or sent, and no call of the run is retried
   * again (a retry waiting for its turn ends now); calls on the wire finish.
   */
  private void stop(Throwable cause, long index) {
    if (stopCause == null) {
      stopCause = cause;
      stopIndex = index;
      budget.close();
      for (InFlight f : inFlight.keySet().toArray(new InFlight[0])) {
        if (f.call != null) {
          f.call.stopRetrying();
        }
      }
    }
  }

  private void cancelInFlight() {
    cancelled = true;
    for (InFlight f : inFlight.keySet().toArray(new InFlight[0])) {
      if (f.future != null) {
        f.future.cancel(true);
      }
    }
  }

  private void abandonInFlight(BulkInput input) {
    cancelInFlight();
    drainCompletions(input);
    for (InFlight f : inFlight.keySet()) {
      tally.unanswered(f.chunk);
    }
    inFlight.clear();
  }

  private TpnsBulkStoppedException stopped(BulkResult partial) {
    if (partial == null) {
      partial = tally.result(request);
    }
    Throwable cause = stopCause;
    String why =
        cause instanceof TpnsException || cause == null
            ? String.valueOf(cause == null ? null : cause.getMessage())
            : String.valueOf(cause);
    return new TpnsBulkStoppedException(
        "the bulk run stopped at input index "
            + stopIndex
            + " ("
            + why
            + "); "
            + partial.itemsSucceeded()
            + " items succeeded and "
            + partial.failures().size()
            + " did not in "
            + partial.calls()
            + " calls, and nothing from index "
            + stopIndex
            + " on was sent. To finish: fix the cause, then run partialResult().retryFailed() and "
            + "the input from inputIndex() on",
        cause,
        stopIndex,
        partial);
  }
}
