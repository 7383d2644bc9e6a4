package io.github.tpns4j;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The client's lifecycle, in one place: the closed state, the wire gate (nothing reaches the wire
 * after {@link #close()}), the wake-up of sync callers sleeping before a retry, the live async
 * calls, the retry scheduler, the bulk runs to tell, and the shutdown of an OkHttp client the SDK
 * made. Thread-safe.
 */
final class Lifecycle {
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final RetryScheduler scheduler = new RetryScheduler();
  private final Executor completions = completionThread();

  /**
   * The longest the watch sleeps while calls are watched: once they have all ended, it stops
   * looking within this, and the timer's thread can end ({@link RetryScheduler#IDLE_SECONDS}).
   */
  static final long LONGEST_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * The shortest time between two looks of the watch: calls whose deadlines come close together (or
   * that all end just before theirs) wake it at most once in this time, not once each.
   */
  static final long SHORTEST_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final long longestSleepNanos;

  /** Calls with a deadline, looked at by the watch. */
  private final Set<Deadlined> timed = ConcurrentHashMap.newKeySet();

  // The watch's next look, armed for the earliest deadline it knows of; null while none is armed.
  // Written under watchLock; armedFor is written before nextLook, so it is read after it.
  private final Object watchLock = new Object();
  private volatile ScheduledFuture<?> nextLook;
  private volatile long armedFor; // System.nanoTime() of the next look, while one is armed
  private long armings; // guarded by watchLock: tells a look that was replaced from the current one
  private long lastLook = System.nanoTime() - SHORTEST_SLEEP_NANOS; // guarded by watchLock

  /** Calls that close() must end when they are not on the wire. */
  private final Set<Closeable> live = ConcurrentHashMap.newKeySet();

  /** Told once when the client closes (bulk runs waiting for completions). */
  private final Set<Runnable> closeListeners = ConcurrentHashMap.newKeySet();

  private volatile OkHttpClient owned; // the client the SDK made, shut down on close

  Lifecycle() {
    this(LONGEST_SLEEP_NANOS);
  }

  /** Tests: a watch that sleeps up to {@code longestSleepNanos}. */
  Lifecycle(long longestSleepNanos) {
    this.longestSleepNanos = longestSleepNanos;
  }

  /** Something that close() ends unless it is on the wire. */
  interface Closeable {
    void closeNow();
  }

  /** A call with a deadline, ended by the watch when it passes. */
  interface Deadlined {
    /** {@code System.nanoTime()} by which the call ends. */
    long deadlineNanos();

    /** The deadline passed: end the call now (cancel its attempt). Called once, on the watch. */
    void expire();
  }

  /**
   * Watches {@code call}'s deadline until {@link #unwatch}. The watch, on {@code
   * tpns4j-retry-timer}, looks at the calls when the earliest deadline it knows of comes, at least
   * once a {@link #LONGEST_SLEEP_NANOS} while there are any, and never twice within {@link
   * #SHORTEST_SLEEP_NANOS}. A call whose deadline is not before the next look (nearly every call of
   * a client: each is made after the ones before it, with the same deadline) costs one set
   * operation, and no timer is armed nor thread woken for it. Calls that end in time wake the timer
   * about once a {@code LONGEST_SLEEP_NANOS} (once per deadline, when that is shorter), not once
   * each. While the timer is free (it also runs async retries and, without a callback executor,
   * what depends on their futures), a call ends at its deadline or at most {@code
   * SHORTEST_SLEEP_NANOS} after it. After {@code close()}, the watch goes on until the calls still
   * on the wire have ended, then its thread ends.
   */
  void watch(Deadlined call) {
    timed.add(call);
    // Either this read sees the look's disarm() (and arms one), or that look's scan, which starts
    // after its disarm(), sees the add above: a volatile write and read on each side.
    long at = call.deadlineNanos();
    if (nextLook == null || at - armedFor <= -SHORTEST_SLEEP_NANOS) {
      arm(at);
    }
  }

  void unwatch(Deadlined call) {
    timed.remove(call);
  }

  /**
   * Arms the next look for {@code deadline}, no later than the longest sleep from now and no sooner
   * than the shortest after the last look, unless one is armed for less than the shortest sleep
   * after that (a call due a little before the next look ends at it).
   */
  private void arm(long deadline) {
    synchronized (watchLock) {
      long now = System.nanoTime();
      long at = deadline - now > longestSleepNanos ? now + longestSleepNanos : deadline;
      if (at - (lastLook + SHORTEST_SLEEP_NANOS) < 0) {
        at = lastLook + SHORTEST_SLEEP_NANOS;
      }
      ScheduledFuture<?> replaced = nextLook;
      if (replaced != null && at - armedFor > -SHORTEST_SLEEP_NANOS) {
        return;
      }
      long armedNow = ++armings;
      ScheduledFuture<?> f =
          scheduler.scheduleLook(() -> lookIfCurrent(armedNow), Math.max(0, at - now));
      if (f == null) {
        return; // the client closed, and no call was left to watch
      }
      armedFor = at;
      nextLook = f;
      if (replaced != null) {
        replaced.cancel(false);
      }
    }
  }

  /** From the timer: a look, unless a later arming replaced this one (its look is to come). */
  private void lookIfCurrent(long arming) {
    long now;
    synchronized (watchLock) {
      if (arming != armings) {
        return;
      }
      now = System.nanoTime();
      disarm(now);
    }
    scan(now);
  }

  /**
   * Ends the calls whose deadline is {@code now} or before, and arms the next look for the earliest
   * deadline of the others. Tests call it to look by hand.
   */
  void look(long now) {
    synchronized (watchLock) {
      armings++; // as if the look armed were this one
      if (nextLook != null) {
        nextLook.cancel(false);
      }
      disarm(now);
    }
    scan(now);
  }

  /**
   * Under watchLock, as a look at {@code now} begins: from now on, watch() arms a look for any call
   * the scan may not see.
   */
  private void disarm(long now) {
    nextLook = null;
    lastLook = now;
  }

  private void scan(long now) {
    boolean any = false;
    long earliest = 0;
    for (Deadlined d : timed) {
      long at = d.deadlineNanos();
      if (now - at >= 0) {
        if (timed.remove(d)) {
          try {
            d.expire();
          } catch (Throwable t) {
            // the call's own failure paths report what went wrong; the watch goes on
          }
        }
      } else if (!any || at - earliest < 0) {
        earliest = at;
        any = true;
      }
    }
    if (any) {
      arm(earliest);
    } else if (closed.get()) {
      synchronized (watchLock) {
        // The last call on the wire at close() has ended; unless one this scan did not see armed
        // its own look meanwhile (after close(), a new call never reaches the wire).
        if (nextLook == null) {
          scheduler.shutDown();
        }
      }
    }
  }

  /** When the watch looks next; null when it is not armed. Tests only. */
  Long nextLookNanos() {
    synchronized (watchLock) {
      return nextLook != null ? armedFor : null;
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  RetryScheduler scheduler() {
    return scheduler;
  }

  /**
   * Where async futures complete when the client's {@code callbackExecutor} refuses a task: one
   * daemon thread, "tpns4j-completion", made when first needed and gone after {@value
   * RetryScheduler#IDLE_SECONDS} s idle. It outlives close(), which still completes futures.
   */
  Executor completions() {
    return completions;
  }

  private static Executor completionThread() {
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            0,
            1,
            RetryScheduler.IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "tpns4j-completion");
              t.setDaemon(true);
              t.setContextClassLoader(null); // pins no application's class loader
              return t;
            });
    return e;
  }

  /** The SDK made {@code http}: close() releases its threads and connections. */
  void own(OkHttpClient http) {
    this.owned = http;
  }

  void register(Closeable call) {
    live.add(call);
  }

  void unregister(Closeable call) {
    live.remove(call);
  }

  /** Registers {@code listener} to run on close (at once if already closed); returns a remover. */
  Runnable onClose(Runnable listener) {
    closeListeners.add(listener);
    if (closed.get() && closeListeners.remove(listener)) {
      listener.run();
    }
    return () -> closeListeners.remove(listener);
  }

  /**
   * Sleeps before a sync retry: true when the client closed meanwhile (at once if it already was).
   *
   * @throws InterruptedException when the calling thread is interrupted
   */
  boolean sleepUnlessClosed(long nanos) throws InterruptedException {
    return closedLatch.await(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Closes: wakes sync callers sleeping before a retry, ends calls not on the wire (and async
   * retries waiting for their turn), drops scheduled retries, tells bulk runs, and releases an
   * OkHttp client the SDK made. Calls on the wire finish, by their deadline at the latest: the
   * watch, and its timer thread, stay until they have. Idempotent.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closedLatch.countDown();
    for (Closeable call : live) {
      call.closeNow();
    }
    synchronized (watchLock) {
      // Drops the retries waiting; the watch's look goes on for the calls on the wire.
      scheduler.close(nextLook);
      if (timed.isEmpty()) {
        disarm(System.nanoTime());
        scheduler.shutDown();
      }
    }
    for (Runnable r : closeListeners) {
      if (closeListeners.remove(r)) {
        r.run();
      }
    }
    OkHttpClient http = owned;
    if (http != null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /**
   * Whether an attempt reached the wire; settles the race between {@code close()} and OkHttp's
   * dispatcher. Carried as the request's tag.
   */
  static final class WireState {
    private static final int QUEUED = 0;
    private static final int ON_WIRE = 1;
    private static final int CLOSED = 2;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /** From the wire gate: false when {@code close()} got there first. */
    boolean toWire() {
      return state.compareAndSet(QUEUED, ON_WIRE) || state.get() == ON_WIRE;
    }

    /** From {@code close()}: true when the attempt never reached the wire, and now never will. */
    boolean closeBeforeWire() {
      return state.compareAndSet(QUEUED, CLOSED);
    }
  }

  /** Thrown on OkHttp's side when the client was closed before the request reached the wire. */
  static final class ClosedBeforeWire extends IOException {
    private static final long serialVersionUID = 1L;

    ClosedBeforeWire() {
      super("the TpnsClient was closed before the request was sent");
    }
  }

  /**
   * The wire gate, from the network interceptor: proceeds unless the client was closed before the
   * request reached the wire, which then never happens.
   */
  Response proceedIfOpen(Interceptor.Chain chain) throws IOException {
    Request request = chain.request();
    WireState wire = request.tag(WireState.class);
    if (closed.get() || (wire != null && !wire.toWire())) {
      throw new ClosedBeforeWire();
    }
    return chain.proceed(request);
  }
}
