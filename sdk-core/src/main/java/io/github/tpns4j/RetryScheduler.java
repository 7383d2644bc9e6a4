package io.github.tpns4j;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs async retries after their backoff, and the client's deadline watch ({@link Lifecycle#watch})
 * while calls with a deadline are under way. Its one thread, "tpns4j-retry-timer", is made when
 * first needed, is a daemon, and ends after {@value #IDLE_SECONDS} s without work, so a client that
 * is never closed keeps no thread (nor, through it, its class loader) alive. {@link #close()} drops
 * what is waiting.
 */
final class RetryScheduler {
  static final int IDLE_SECONDS = 10;

  private final Object lock = new Object();
  private ScheduledThreadPoolExecutor executor; // guarded by lock; null until the first retry
  private boolean closed; // guarded by lock

  /** Runs {@code task} after {@code delayNanos}; null when closed (the task will never run). */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    synchronized (lock) {
      if (closed) {
        return null;
      }
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
      return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
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

  void close() {
    synchronized (lock) {
      closed = true;
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }
}
