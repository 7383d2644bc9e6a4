package io.github.tpns4j;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs async retries after their backoff, and the client's deadline watch ({@link Lifecycle#watch})
 * while calls with a deadline are under way. Its one thread, "tpns4j-retry-timer", is made when
 * first needed, is a daemon, and ends after {@value #IDLE_SECONDS} s without work, so a client that
 * is never closed keeps no thread (nor, through it, its class loader) alive. {@link #close()} drops
 * the retries waiting, and the watch goes on until {@link #shutDown()} (the calls still on the wire
 * keep their deadline).
 */
final class RetryScheduler {
  static final int IDLE_SECONDS = 10;

  private final Object lock = new Object();
  private ScheduledThreadPoolExecutor executor; // guarded by lock; null until first needed
  private boolean closed; // guarded by lock: no more retries
  private boolean shutDown; // guarded by lock: no more looks either

  /** Runs {@code task} after {@code delayNanos}; null when closed (the task will never run). */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      return executor().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Runs the deadline watch's next look after {@code delayNanos}, closed or not; null once shut
   * down (it will never run).
   */
  ScheduledFuture<?> scheduleLook(Runnable task, long delayNanos) {
    synchronized (lock) {
      if (shutDown) {
        return null;
      }
      return executor().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private ScheduledThreadPoolExecutor executor() {
    synchronized (lock) {
      if (executor == null) {
        ScheduledThreadPoolExecutor e =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "tpns4j-retry-timer");
                  t.setDaemon(true);
                  t.setContextClassLoader(null); // pins no application's class loader
                  return t;
                });
        e.setRemoveOnCancelPolicy(true); // a cancelled retry leaves nothing queued
        e.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        executor = e;
      }
      return executor;
    }
  }

  /** How many tasks wait for their time; tests only. */
  int queued() {
    synchronized (lock) {
      return executor == null ? 0 : executor.getQueue().size();
    }
  }

  /** Whether a thread of this scheduler is alive now; tests only. */
  boolean hasThread() {
    synchronized (lock) {
      return executor != null && executor.getPoolSize() > 0;
    }
  }

  /** No more retries: those waiting are dropped. The watch's {@code look} (if any) stays. */
  void close(ScheduledFuture<?> look) {
    synchronized (lock) {
      closed = true;
      if (executor != null) {
        // The queue's iterator walks a copy; each task queued is the future schedule() returned.
        for (Runnable r : executor.getQueue()) {
          if (r != look) {
            ((Future<?>) r).cancel(false); // taken off the queue: removeOnCancel
          }
        }
      }
    }
  }

  /** No more retries nor looks: the thread ends now. */
  void shutDown() {
    synchronized (lock) {
      closed = true;
      shutDown = true;
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }
}
