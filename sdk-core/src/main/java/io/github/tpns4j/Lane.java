package io.github.tpns4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;

/**
 * The threads of one bulk run. Workers on the OkHttp client's executor take the next ready job and
 * run its call as a blocking call on their own socket, then take the next, as a minimal client's
 * threads do: a call that follows another costs no hand-off between threads.
 *
 * <p>At most {@link #limit} calls are in progress (taken, and not yet ended: on the wire, or
 * waiting for a retry), so at most that many are on the wire; a call in progress holds its slot
 * until the run is told it ended ({@link #ended}), and its retries ({@link #retry}) come back
 * before any new call. The run keeps new calls ready ahead of the workers ({@link #submit}), can
 * take back those no worker has taken ({@link #withdraw}), pause new calls ({@link #pause}), and
 * close a gate while it calls the caller's handler or listener, so that no call starts meanwhile
 * ({@link #hold}). Thread-safe.
 */
final class Lane {
  /** One call to run on the lane. */
  interface Job {
    /**
     * Makes the call's attempt, on the worker: its OkHttp call, or null when the call has already
     * ended (closed client, cancelled, stopped). Nothing of it is on the wire yet.
     */
    Call prepare();

    /** Runs the attempt {@link #prepare} made, blocking, and handles its outcome. */
    void run(Call call);

    /**
     * The job cannot run: the executor refused to run workers (shut down), or {@link #prepare} or
     * {@link #run} threw {@code t}. The job ends with it, and never throws here.
     */
    void abandon(Throwable t);
  }

  /** The lane whose worker this thread is, while it is one. */
  private static final ThreadLocal<Lane> WORKING = new ThreadLocal<>();

  private final Executor executor;
  private final ConcurrentLinkedDeque<Job> fresh = new ConcurrentLinkedDeque<>(); // new calls
  private final AtomicInteger ready = new AtomicInteger(); // about fresh.size(), counted cheaply
  private final ConcurrentLinkedDeque<Job> retries = new ConcurrentLinkedDeque<>(); // in progress
  private final AtomicInteger workers = new AtomicInteger();
  private final AtomicInteger inProgress = new AtomicInteger(); // calls taken and not yet ended
  private final AtomicInteger taking = new AtomicInteger(); // workers taking and preparing a job
  private volatile int limit;
  private volatile boolean held;
  private volatile boolean paused;
  private final java.util.concurrent.atomic.AtomicLong pauses =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Thread holder; // waiting in hold() for the workers taking a job
  private volatile Throwable refused;
  private volatile Runnable runningLow; // told when a worker takes a new call and few are left

  Lane(Executor executor, int limit) {
    this.executor = executor;
    this.limit = limit;
  }

  /** A new call of the run, after the others; once a worker takes it, it holds a slot. */
  void submit(Job job) {
    ready.incrementAndGet();
    fresh.addLast(job);
    startWorker();
  }

  /**
   * {@code hook} runs on the worker that takes a new call and leaves at most {@link #isRunningLow
   * half the limit} ready: the run that keeps calls ready need not wake for each call that ends,
   * only before the workers run out. It must be quick, and never throw.
   */
  void whenRunningLow(Runnable hook) {
    runningLow = hook;
  }

  /** Whether at most half the limit of new calls are ready: time to hand out more. */
  boolean isRunningLow() {
    return ready.get() <= limit / 2;
  }

  /** The retry of a call in progress, its wait over: before any new call, in its own slot. */
  void retry(Job job) {
    retries.addLast(job);
    startWorker();
  }

  /** A call a worker took from {@link #submit} ended for good: its slot is free. */
  void ended() {
    inProgress.decrementAndGet();
    if (WORKING.get() != this) {
      startWorker(); // ended elsewhere (the retry timer, close()): no worker of ours goes on
    }
  }

  /**
   * At most {@code n} calls in progress from now on: a call above it ends before another starts.
   */
  void limit(int n) {
    limit = n;
    startWorkers();
  }

  /**
   * Takes back the new calls no worker has taken, in the order they were submitted: none of them
   * will be sent.
   */
  List<Job> withdraw() {
    List<Job> taken = new ArrayList<>();
    for (Job j : fresh) {
      if (fresh.removeFirstOccurrence(j)) {
        ready.decrementAndGet();
        taken.add(j);
      }
    }
    return taken;
  }

  /**
   * Closes the gate: no worker takes a job until {@link #release}. Returns once no worker is
   * between taking a job and handing its call to OkHttp, so that no call starts while the gate is
   * closed.
   */
  void hold() {
    held = true;
    if (taking.get() == 0) {
      return;
    }
    holder = Thread.currentThread();
    while (taking.get() > 0) {
      LockSupport.parkNanos(this, 100_000); // the last worker out wakes it
    }
    holder = null;
  }

  /** Opens the gate. */
  void release() {
    held = false;
    startWorkers();
  }

  /**
   * A call of the run failed (rate limited, refused, an outage): workers take no new call until the
   * run, having judged it, calls {@link #resume}. Called by the worker whose call it was, before it
   * takes another; returns the pause's number, for {@link #resume}.
   */
  long pause() {
    long n = pauses.incrementAndGet(); // counted first: resume(seen) sees it, or this sets paused
    paused = true;
    return n;
  }

  /**
   * The run is not paused (any more), and has judged the failures of every pause up to number
   * {@code seen}: workers take new calls again, unless a later failure paused the lane.
   */
  void resume(long seen) {
    if (paused && pauses.get() == seen) {
      paused = false;
      if (pauses.get() != seen) {
        paused = true; // paused again meanwhile: the run has not seen that failure yet
        return;
      }
      startWorkers();
    }
  }

  /** Whether a worker would find a job now. */
  private boolean hasWork() {
    return !held
        && (!retries.isEmpty() || (!paused && !fresh.isEmpty() && inProgress.get() < limit));
  }

  /** Starts a worker for each job waiting, up to the limit. */
  private void startWorkers() {
    for (int n = retries.size() + ready.get(); n > 0 && startWorker(); n--) {}
  }

  /** Starts one worker, unless none is needed or allowed; false when none started. */
  private boolean startWorker() {
    if (!hasWork() || !enter()) {
      return false;
    }
    try {
      executor.execute(this::work);
      return true;
    } catch (Throwable e) {
      // shut down or full (RejectedExecutionException), or no thread could be made (an Error)
      workers.decrementAndGet();
      refuseAll(e);
      return false;
    }
  }

  /** The executor refused a worker: every job ends unsent, now and from now on. */
  private void refuseAll(Throwable e) {
    if (!(e instanceof Error) && !(e instanceof RejectedExecutionException)) {
      e = new RejectedExecutionException("the executor threw " + e, e); // refused all the same
    }
    refused = e;
    Job j;
    while ((j = retries.pollFirst()) != null || (j = pollFresh()) != null) {
      try {
        j.abandon(e);
      } catch (Throwable ignored) {
        // a job never throws here; nothing may stop the others from ending
      }
    }
  }

  /** The next job for this worker: a retry, else a new call if a slot is free; or null. */
  private Job take() {
    if (held || workers.get() > limit) {
      return null; // a worker above the limit (lowered meanwhile) stops
    }
    Job job = retries.pollFirst();
    if (job != null || paused) {
      return job;
    }
    while (true) {
      int n = inProgress.get();
      if (n >= limit || fresh.isEmpty()) {
        return null;
      }
      if (inProgress.compareAndSet(n, n + 1)) {
        break;
      }
    }
    job = pollFresh();
    if (job == null) {
      inProgress.decrementAndGet(); // taken back, or by another worker, meanwhile
    } else if (isRunningLow()) {
      Runnable hook = runningLow;
      if (hook != null) {
        hook.run();
      }
    }
    return job;
  }

  private Job pollFresh() {
    Job job = fresh.pollFirst();
    if (job != null) {
      ready.decrementAndGet();
    }
    return job;
  }

  private void work() {
    WORKING.set(this);
    try {
      workLoop();
    } finally {
      WORKING.remove();
    }
  }

  private void workLoop() {
    while (true) {
      Job job = null;
      Call call = null;
      Throwable thrown = null;
      taking.incrementAndGet();
      try {
        job = take();
        if (job != null) {
          call = job.prepare();
        }
      } catch (Throwable t) {
        thrown = t;
      } finally {
        if (taking.decrementAndGet() == 0 && held) {
          Thread h = holder;
          if (h != null) {
            LockSupport.unpark(h);
          }
        }
      }
      if (job == null) {
        workers.decrementAndGet();
        if (refused != null) {
          refuseAll(refused);
          return;
        }
        // A job submitted (or a slot freed) while this worker was leaving found it still counted:
        // look again.
        if (hasWork() && enter()) {
          continue;
        }
        return;
      }
      try {
        if (thrown == null && call != null) {
          job.run(call);
        }
      } catch (Throwable t) {
        thrown = t;
      }
      if (thrown != null) {
        try {
          job.abandon(thrown);
        } catch (Throwable ignored) {
          // a job never throws here; the worker goes on
        }
      }
    }
  }

  /** Counts one more worker, unless the limit is reached. */
  private boolean enter() {
    while (true) {
      int w = workers.get();
      if (w >= limit) {
        return false;
      }
      if (workers.compareAndSet(w, w + 1)) {
        return true;
      }
    }
  }
}
