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
 * The threads of one bulk run. At most {@link #limit} workers, on the OkHttp client's executor,
 * each take the next ready job and run its call as a blocking call on their own socket, then take
 * the next, as a minimal client's threads do: a call that follows another costs no hand-off between
 * threads. The run keeps jobs ready ahead of the workers ({@link BulkFlow}); retries come back
 * first. The run can take back the jobs no worker has taken ({@link #withdraw}), pause the workers
 * while TPNS rate limits it ({@link #pause}), and close a gate while it calls the caller's handler
 * or listener, so that no call starts meanwhile ({@link #hold}). Thread-safe.
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

  private final Executor executor;
  private final ConcurrentLinkedDeque<Job> ready = new ConcurrentLinkedDeque<>();
  private final AtomicInteger workers = new AtomicInteger();
  private final AtomicInteger taking = new AtomicInteger(); // workers taking and preparing a job
  private volatile int limit;
  private volatile boolean held;
  private volatile boolean paused;
  private volatile Thread holder; // waiting in hold() for the workers taking a job
  private volatile RejectedExecutionException refused;

  Lane(Executor executor, int limit) {
    this.executor = executor;
    this.limit = limit;
  }

  /** A new call of the run: after the others. */
  void submit(Job job) {
    ready.addLast(job);
    startWorker();
  }

  /** A call's retry, its wait over: before the new calls. */
  void retry(Job job) {
    ready.addFirst(job);
    startWorker();
  }

  /** At most {@code n} calls on the wire from now on: a worker above it stops after its call. */
  void limit(int n) {
    limit = n;
    startWorkers();
  }

  /**
   * Takes back the jobs of {@code type} that no worker has taken, in the order they were submitted:
   * none of them will be sent.
   */
  <J extends Job> List<J> withdraw(Class<J> type) {
    List<J> taken = new ArrayList<>();
    for (Job j : ready) {
      if (type.isInstance(j) && ready.removeFirstOccurrence(j)) {
        taken.add(type.cast(j));
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
   * A call of the run was rate limited: workers take nothing more until {@link #resume}. Called by
   * the worker whose call it was, before it looks for the next job.
   */
  void pause() {
    paused = true;
  }

  /** The run is not paused (any more): workers take jobs again. */
  void resume() {
    if (paused) {
      paused = false;
      startWorkers();
    }
  }

  /** Starts a worker for each job waiting, up to the limit. */
  private void startWorkers() {
    for (int n = ready.size(); n > 0 && startWorker(); n--) {}
  }

  /** Starts one worker, unless none is needed or allowed; false when none started. */
  private boolean startWorker() {
    if (ready.isEmpty() || !enter()) {
      return false;
    }
    try {
      executor.execute(this::work);
      return true;
    } catch (RejectedExecutionException e) {
      workers.decrementAndGet();
      refuseAll(e);
      return false;
    }
  }

  /** The executor is shut down: every job ends unsent, now and from now on. */
  private void refuseAll(RejectedExecutionException e) {
    refused = e;
    Job j;
    while ((j = ready.pollFirst()) != null) {
      j.abandon(e);
    }
  }

  private void work() {
    while (true) {
      Job job = null;
      Call call = null;
      Throwable thrown = null;
      taking.incrementAndGet();
      try {
        // A worker above the limit (lowered meanwhile) stops; the others go on while jobs wait.
        if (!held && !paused && workers.get() <= limit) {
          job = ready.pollFirst();
          if (job != null) {
            call = job.prepare();
          }
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
        // A job submitted while this worker was leaving found it still counted: look again.
        if (!ready.isEmpty() && enter()) {
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
        job.abandon(thrown);
      }
    }
  }

  /** Counts one more worker, unless the limit is reached, the gate closed or the run paused. */
  private boolean enter() {
    while (true) {
      int w = workers.get();
      if (w >= limit || held || paused) {
        return false;
      }
      if (workers.compareAndSet(w, w + 1)) {
        return true;
      }
    }
  }
}
