package io.github.tpns4j;

import io.github.tpns4j.account.BulkProgressListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One bulk run, driven by the caller's thread: it reads the input ({@link BulkInput}), hands calls
 * to the run's {@link Lane} as {@link BulkFlow} allows, tallies answers ({@link BulkTally}) and
 * calls the progress listener, holding no lock. The lane's workers make each call's request and run
 * it as a blocking call, then take the next call ready, as a minimal client's threads would; they
 * only post completions into a queue allocated up front (so that even an {@code OutOfMemoryError}
 * there cannot lose one), and {@code close()} posts a wake-up. The run's thread sleeps until a
 * completion needs it: a failure at once, answers once the workers are down to half the limit of
 * calls ready ({@link Lane#whenRunningLow}); it then accounts for all of them. While the caller's
 * handler or listener runs, the lane's gate is closed: no call starts. Every way out ends {@link
 * #run()}: a result, or {@link TpnsBulkRunStoppedException}. What differs between {@code
 * bulkOperate} and {@code bulkQuery} is in the {@link BulkJob}.
 *
 * @param <R> the answer of one call
 */
final class BulkRun<R> {
  /** How long the run's thread waits at most between looks at its state. */
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /**
   * A chunk handed to the lane, and its call's outcome, posted by whichever thread completes it.
   * Its call is made on the run's thread when the chunk is handed out (so a listener's {@code
   * callStarted} runs there, and the deadline counts from then); a worker prepares and runs its
   * attempts. Until a worker takes it, the run can take it back ({@link Lane#withdraw}).
   */
  private static final class InFlight<R> implements Lane.Job {
    private static final int TAKEN = 1; // a worker took it: it holds a slot of the lane
    private static final int DONE = 2; // its call ended

    final BulkRun<R> run;
    final BulkInput.Chunk chunk;
    long seq; // BulkFlow's number for it
    CallRunner.AsyncCall<R> call; // null when making it threw
    CompletableFuture<R> future;
    volatile R result;
    volatile Throwable error;
    volatile boolean withdrawn; // taken back: its end is not a completion
    volatile long pause; // the lane's pause its failure made, or 0
    private final java.util.concurrent.atomic.AtomicInteger state =
        new java.util.concurrent.atomic.AtomicInteger();

    InFlight(BulkRun<R> run, BulkInput.Chunk chunk) {
      this.run = run;
      this.chunk = chunk;
    }

    /** On a worker: the call's first attempt. */
    @Override
    public okhttp3.Call prepare() {
      if ((state.getAndAdd(TAKEN) & DONE) != 0) {
        run.lane.ended(); // it ended before a worker took it (closed, cancelled): the slot is free
        return null;
      }
      call.taken();
      return call.prepare();
    }

    @Override
    public void run(okhttp3.Call attempt) {
      call.run(attempt);
    }

    @Override
    public void abandon(Throwable t) {
      // A closed client shuts its OkHttp client's executor down: that is why it refused.
      call.abandon(
          !run.transport.isClosed() && t instanceof java.util.concurrent.RejectedExecutionException
              ? Failures.executorRefused(t)
              : t);
    }

    /** Whether the job takes this failure as an answer (a query of keys that do not exist). */
    private boolean isAnswer(Throwable error) {
      Throwable cause = Failures.unwrap(error);
      return cause instanceof TpnsApiException && run.job.isAnswer((TpnsApiException) cause);
    }

    private void post(R result, Throwable error) {
      if (withdrawn) {
        return;
      }
      try {
        this.result = result;
        this.error = error;
        boolean failed = error != null && !isAnswer(error);
        if (failed) {
          // A failed call (rate limited, refused, an outage): before this worker takes another,
          // the run judges it (it pauses, stops or goes on), then resumes the lane.
          pause = run.lane.pause();
        } else {
          // Now, not when the run counts it: the workers' next retries are decided by the budget.
          run.budget.refund(System.nanoTime());
        }
        boolean lost = !run.completions.offer(this);
        if (lost) {
          run.lostCompletion = new IllegalStateException("bulk completion queue full");
        }
        run.posted(failed || lost);
        if ((state.getAndAdd(DONE) & TAKEN) != 0) {
          run.lane.ended();
        }
      } catch (Throwable t) {
        run.lostCompletion = t;
        run.posted(true);
      }
    }
  }

  private static final Object WAKE = new Object();

  private final BulkJob<R> job;
  private final BulkTransport transport;
  private final BulkProgressListener listener;
  private final BulkFlow flow;
  private final Lane lane;
  private final boolean holdsLane; // the caller's code runs while answers come: gate the lane
  private final BulkTally tally = new BulkTally();
  private final RetryBudget budget;
  private final Deque<BulkInput.Chunk> requeued = new ArrayDeque<>(); // rate limited, asked again
  private final List<BulkInput.Chunk> again = new ArrayList<>(); // asked again by the job, to queue
  private BulkInput input;
  private final Map<InFlight<R>, Boolean> inFlight = new IdentityHashMap<>();
  private final BlockingQueue<Object> completions;
  private volatile Throwable lostCompletion; // an Error that kept a completion from being posted
  // The run's thread sleeps until a completion needs it: at once for a failure, else once the
  // workers are running out of ready calls. Waking it for every call that ends cost as much CPU as
  // the rest of the run's thread did.
  private volatile Thread sleeper; // the run's thread, while it may be parked
  private volatile boolean posted; // a completion was posted since the run last woke
  private volatile boolean urgent; // ... one that must be seen now (a failure, close(), an Error)
  // The limit is below the run's concurrency (after a rate limit): each success may raise it, and a
  // call above the new limit that ends frees no slot, so every completion wakes the run.
  private volatile boolean recovering;

  private Throwable stopCause;
  private long stopIndex = -1;
  private long runId; // for events; 0 when no listener
  private boolean cancelled;
  private long pausesSeen; // the last of the lane's pauses whose failure the run has judged
  private boolean handlerFailed; // the caller's answer handler threw: it is given nothing more

  BulkRun(BulkJob<R> job, BulkTransport transport) {
    this.job = job;
    this.transport = transport;
    this.listener = job.listener();
    this.flow = new BulkFlow(job.maxCallsInFlight());
    this.budget = RetryBudget.forRun(job.maxCallsInFlight());
    this.lane = new Lane(transport.executor(), flow.limit());
    this.holdsLane = listener != null || job.handsOverAnswers();
    // One slot per call that can be in flight, plus wake-ups: offer() never blocks nor allocates.
    this.completions = new ArrayBlockingQueue<>(BulkFlow.inFlightMax(job.maxCallsInFlight()) + 4);
    lane.whenRunningLow(
        () -> {
          if (posted) {
            wake();
          }
        });
  }

  /** The job's result; or throws the job's {@link TpnsBulkRunStoppedException}. */
  Object run() {
    BulkInput input;
    try {
      input = new BulkInput(job);
      this.input = input;
    } catch (BulkInput.Stop s) {
      stopCause = s.why;
      stopIndex = 0;
      throw stopped(null);
    }
    Runnable unregister =
        transport.onClose(
            () -> {
              completions.offer(WAKE);
              posted(true);
            });
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
      return job.result(tally);
    }
    for (BulkInput.Chunk c : requeued) {
      tally.unanswered(c);
      if (!c.sent) {
        tally.neverSent(); // taken back before any worker took it: not a call
      }
    }
    requeued.clear();
    input.unsent(stopIndex, tally::unsent);
    throw stopped(job.result(tally));
  }

  /** One turn of the loop; false when the run is over. */
  private boolean step(BulkInput input) throws InterruptedException {
    drainCompletions(input);
    if (stopCause != null || flow.waitNanos(System.nanoTime()) <= 0) {
      lane.resume(pausesSeen); // not paused by the run, nor by a failure it has not judged yet
    }
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
    sleeper = Thread.currentThread(); // before looking: a completion posted from now on wakes it
    try {
      if (!due()) {
        LockSupport.parkNanos(this, timeout);
      }
    } finally {
      sleeper = null;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    urgent = false; // what was posted until now is drained by the next step
    posted = false;
    return true;
  }

  /** A completion was posted: wakes the run's thread if it needs it now. */
  private void posted(boolean now) {
    if (now && !urgent) {
      urgent = true;
    }
    if (!posted) {
      posted = true;
    }
    if (now || recovering || lane.isRunningLow()) {
      wake();
    }
  }

  /** Whether the run's thread must look at what was posted now, rather than sleep. */
  private boolean due() {
    return urgent || (posted && (recovering || lane.isRunningLow()));
  }

  /** The lane's new limit: below the run's concurrency, each success must be counted at once. */
  private void limit(int n) {
    recovering = n < job.maxCallsInFlight();
    lane.limit(n);
  }

  private void wake() {
    Thread t = sleeper;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void send(BulkInput.Chunk chunk) {
    InFlight<R> f = new InFlight<>(this, chunk);
    inFlight.put(f, Boolean.TRUE);
    f.seq = flow.sent();
    if (chunk.history == null) {
      chunk.history = new RetryPolicy.History(System.nanoTime());
    }
    CompletableFuture<R> future;
    try {
      f.call = job.call(transport, chunk.call, budget, chunk.history, lane);
      future = f.call.future;
    } catch (Throwable t) {
      future = new CompletableFuture<>();
      future.completeExceptionally(t);
    }
    f.future = future;
    future.whenComplete(f::post);
    if (f.call != null && !future.isDone()) {
      lane.submit(f);
    }
  }

  /**
   * Takes back the chunks no worker has taken: they go first when the run sends again (after a
   * pause), or are unanswered when it stopped.
   */
  private void withdraw() {
    List<Lane.Job> back = lane.withdraw();
    for (int i = back.size() - 1; i >= 0; i--) {
      InFlight<R> f = cast(back.get(i));
      f.withdrawn = true;
      f.call.withdraw(); // ends its call unsent: its items go again in another, or are unanswered
      if (inFlight.remove(f) == null) {
        continue; // it ended before (close() ended its call) and was accounted for then
      }
      flow.withdrawn();
      requeued.addFirst(f.chunk);
    }
  }

  /**
   * Accounts for every completion posted; while the caller's handler or listener may run, with the
   * lane's gate closed once for them all.
   */
  private void drainCompletions(BulkInput input) {
    Object next = completions.poll();
    if (next == null) {
      return;
    }
    boolean holding = false;
    try {
      do {
        if (next == WAKE) {
          continue;
        }
        InFlight<R> f = cast(next);
        pausesSeen = Math.max(pausesSeen, f.pause);
        if (inFlight.remove(f) == null) {
          continue;
        }
        f.chunk.sent = true;
        if (holdsLane && !holding) {
          lane.hold(); // no call starts while the caller's handler or listener runs
          holding = true;
        }
        account(f, input);
      } while ((next = completions.poll()) != null);
    } finally {
      if (holding) {
        lane.release();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private InFlight<R> cast(Object posted) {
    return (InFlight<R>) posted;
  }

  private void account(InFlight<R> f, BulkInput input) {
    BulkInput.Chunk chunk = f.chunk;
    Throwable error = f.error;
    Events events = transport.events();
    Throwable cause = Failures.unwrap(error);
    if (error == null || isAnswer(f, cause)) {
      // its worker refunded the retry budget when it posted the answer
      if (flow.completed(true)) {
        limit(flow.limit());
        if (events.on()) {
          events.bulkLimitChanged(runId, flow.limit(), false);
        }
      }
      int before = again.size();
      int succeeded = answered(chunk, f.result, (TpnsException) cause, input);
      input.release(chunk);
      int reasked = again.size() - before;
      askAgain();
      if (events.on()) {
        events.bulkCallEnded(succeeded, chunk.items.length - reasked - succeeded);
      }
      progress(input);
      return;
    }
    flow.completed(false);
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

  /** Whether the job takes this failure as an answer (a query of keys that do not exist). */
  private boolean isAnswer(InFlight<R> f, Throwable cause) {
    return cause instanceof TpnsApiException
        && !cancelled
        && !f.future.isCancelled()
        && job.isAnswer((TpnsApiException) cause);
  }

  /**
   * Counts an answered call (or a failure that is an answer); the job hands the answers to the
   * caller's handler, unless that threw before.
   */
  private int answered(BulkInput.Chunk chunk, R answer, TpnsException failure, BulkInput input) {
    if (handlerFailed) {
      tally.unanswered(chunk);
      tally.answered(chunk.items.length, 0);
      return 0;
    }
    try {
      return answer != null
          ? job.answered(chunk, answer, tally, this::ask)
          : job.answeredByFailure(chunk, failure, tally, this::ask);
    } catch (BulkJob.HandlerFailed h) {
      handlerFailed = true;
      stop(h.getCause(), input.nextIndex());
      return h.succeeded;
    }
  }

  /** The job asks for item {@code i} of {@code chunk} again, alone. */
  private void ask(BulkInput.Chunk chunk, int i) {
    again.add(input.alone(chunk, i));
  }

  /** Queues what the job asked for again; each is a call of its own. */
  private void askAgain() {
    for (BulkInput.Chunk c : again) {
      tally.sent();
      requeued.addLast(c);
    }
    again.clear();
  }

  /** A call that failed with {@code cause}: requeued (true), or accounted for (false). */
  private boolean failed(InFlight<R> f, Throwable cause, BulkInput input, Events events) {
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
    String gaveUp = null;
    if (stopCause == null && !transport.isClosed() && f.call != null) {
      // Throttling is pacing: the chunk goes again, first, once the whole run has paused.
      long delay = f.call.resendAfterNanos();
      if (delay >= 0) {
        withdraw(); // nothing is sent until the pause ends
        requeued.addFirst(chunk);
        if (flow.rateLimited(f.seq, System.nanoTime(), delay)) {
          limit(flow.limit());
          if (events.on()) {
            events.bulkLimitChanged(runId, flow.limit(), true);
          }
        }
        return true;
      }
      gaveUp = f.call.gaveUpOnThrottling();
    }
    input.release(chunk);
    if (e instanceof TpnsClientClosedException) {
      tally.unanswered(chunk);
      return false;
    }
    boolean outage = tally.failedWhole(chunk, e);
    if (gaveUp != null) {
      if (events.on()) {
        events.bulkCallEnded(0, chunk.items.length);
      }
      progress(input);
      stop(
          new TpnsException(
              "TPNS kept rate limiting: "
                  + gaveUp
                  + ". The run stopped so that it can be resumed later, or with a lower "
                  + "concurrency; raise TpnsClient.Builder.rateLimitTimeout to wait longer",
              e,
              true,
              e.retryAfter().orElse(null)),
          input.nextIndex());
      return false;
    }
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

  /** Failures every later call of the run would share: stop at once instead. */
  static boolean sharedByEveryCall(TpnsException e) {
    if (e instanceof TpnsAuthenticationException
        || e instanceof TpnsAppUnavailableException
        || e.getCause() instanceof java.util.concurrent.RejectedExecutionException) {
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
      withdraw(); // nothing more is sent: the calls no worker took are unanswered
      for (InFlight<R> f : inFlightNow()) {
        if (f.call != null) {
          f.call.stopRetrying();
        }
      }
    }
  }

  private void cancelInFlight() {
    cancelled = true;
    withdraw(); // never sent: unanswered
    for (InFlight<R> f : inFlightNow()) {
      if (f.future != null) {
        f.future.cancel(true);
      }
    }
  }

  private List<InFlight<R>> inFlightNow() {
    return new ArrayList<>(inFlight.keySet());
  }

  private void abandonInFlight(BulkInput input) {
    cancelInFlight();
    drainCompletions(input);
    for (InFlight<R> f : inFlight.keySet()) {
      tally.unanswered(f.chunk);
    }
    inFlight.clear();
  }

  private TpnsBulkRunStoppedException stopped(Object partial) {
    if (partial == null) {
      partial = job.result(tally);
    }
    Throwable cause = stopCause;
    String why =
        cause instanceof TpnsException || cause == null
            ? String.valueOf(cause == null ? null : cause.getMessage())
            : String.valueOf(cause);
    return job.stopped(
        "the bulk run stopped at input index "
            + stopIndex
            + " ("
            + why
            + "); "
            + tally.itemsSucceeded()
            + " items succeeded and "
            + tally.failedCount()
            + " did not in "
            + tally.callsSent()
            + " calls, and nothing from index "
            + stopIndex
            + " on was sent. To finish: fix the cause, then run "
            + job.resumeHint()
            + " and the input from inputIndex() on",
        cause,
        stopIndex,
        partial);
  }
}
