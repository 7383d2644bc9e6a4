package io.github.tpns4j.micrometer;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.TpnsApiException;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsHttpException;
import io.github.tpns4j.TpnsRateLimitException;
import io.github.tpns4j.TpnsTransportException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records what a {@code TpnsClient} does into a {@link MeterRegistry}, by Micrometer's conventions:
 *
 * <ul>
 *   <li>timer {@value #REQUESTS}, per HTTP attempt, tags {@code endpoint} ({@code batchoperate},
 *       {@code query}), {@code status} (the HTTP status, or {@code IO_ERROR}), {@code outcome}
 *       (Micrometer's HTTP vocabulary: {@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR},
 *       {@code REDIRECTION}, {@code INFORMATIONAL}, or {@code UNKNOWN} without an answer), {@code
 *       ret_code} (TPNS's own result: a documented code, {@code OTHER} for any other, or {@code
 *       NONE}) and {@code error} (the exception's simple class name, or {@code none});
 *   <li>timer {@value #CALLS}, per call after its retries, tags {@code endpoint}, {@code result}
 *       (TPNS's: {@code SUCCESS}, {@code ITEM_FAILURES} for 1008026 and 1008027, {@code FAILED})
 *       and {@code error}. A bulk run's call that was rate limited and sent again is not a failed
 *       call: it counts as a retry (reason {@code RATE_LIMITED});
 *   <li>counter {@value #RETRIES}, tags {@code endpoint}, {@code reason};
 *   <li>counter {@value #BULK_ITEMS}, tag {@code result} ({@code succeeded}, {@code failed});
 *   <li>gauge {@value #BULK_CALLS_ALLOWED}: the calls in flight the client's running bulk runs
 *       allow, summed; 0 when none runs. It follows each run from its start (its concurrency)
 *       through its slow-downs to its end.
 * </ul>
 *
 * <p>Every meter has a {@code client} tag, so that several clients (one per app) in one registry
 * are told apart: the value of the {@code client} tag given to the constructor, {@code default}
 * otherwise. Meters keep the names and tags they are given: a second listener with the same tags on
 * the same registry (a client built again, a registry shared between tests) records into the same
 * series, and the gauge sums the runs of every open listener that shares it. {@code reason} is one
 * of {@code RATE_LIMITED}, {@code INTERNAL_ERROR}, {@code HTTP_429}, {@code HTTP_5XX}, {@code
 * IO_ERROR}, {@code OTHER}. Every tag value comes from a closed set: no token, account or message
 * becomes a tag. Thread-safe.
 *
 * <p>{@link #close() Close} the listener when its client is closed: the gauge is removed from the
 * registry once no open listener shares it (counters and timers stay, the history of what the
 * client did). The registry never keeps a listener alive: one that is dropped without being closed
 * counts for nothing in the gauge. The Spring Boot starter closes its listener with the context.
 *
 * <pre>{@code
 * TpnsMicrometerListener metrics =
 *     new TpnsMicrometerListener(meterRegistry, Tags.of("client", "shop-app"));
 * TpnsClient client = TpnsClient.builder()
 *     .accessId(...).secretKey(...)
 *     .eventListener(metrics)
 *     .build();
 * ...
 * client.close();
 * metrics.close();
 * }</pre>
 */
public final class TpnsMicrometerListener implements TpnsEventListener, AutoCloseable {
  public static final String REQUESTS = "tpns.client.requests";
  public static final String CALLS = "tpns.client.calls";
  public static final String RETRIES = "tpns.client.retries";
  public static final String BULK_ITEMS = "tpns.client.bulk.items";
  public static final String BULK_CALLS_ALLOWED = "tpns.client.bulk.calls.allowed";

  /** The tag that tells clients apart. */
  public static final String CLIENT_TAG = "client";

  private final MeterRegistry registry;
  private final Tags common;
  private final Counter itemsSucceeded;
  private final Counter itemsFailed;
  private final Map<Long, Integer> allowedByRun = new ConcurrentHashMap<>();
  private final SharedGauge gauge;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Records into {@code registry}, with {@code client=default}. */
  public TpnsMicrometerListener(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, adding {@code tags} to every meter (e.g. {@code client}, the
   * app's name).
   */
  public TpnsMicrometerListener(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = clientTags(Tags.of(Objects.requireNonNull(tags, "tags")));
    this.itemsSucceeded =
        Counter.builder(BULK_ITEMS)
            .description("Items of bulk runs, by result")
            .tags(common)
            .tag("result", "succeeded")
            .register(registry);
    this.itemsFailed =
        Counter.builder(BULK_ITEMS)
            .description("Items of bulk runs, by result")
            .tags(common)
            .tag("result", "failed")
            .register(registry);
    this.gauge = SharedGauge.join(registry, common, allowedByRun);
  }

  /** {@code tags} with {@code client=default} when they have no {@code client} tag. */
  private static Tags clientTags(Tags tags) {
    for (Tag t : tags) {
      if (t.getKey().equals(CLIENT_TAG)) {
        return tags;
      }
    }
    return tags.and(CLIENT_TAG, "default");
  }

  /**
   * Stops counting this listener's bulk runs in the {@value #BULK_CALLS_ALLOWED} gauge, and removes
   * the gauge from the registry when no other open listener shares it (same registry, same tags).
   * Call it when the client is closed. Counters and timers stay. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      gauge.leave(registry, common, allowedByRun);
    }
  }

  /** The {@code client} tag of this listener's meters. */
  public String client() {
    for (Tag t : common) {
      if (t.getKey().equals(CLIENT_TAG)) {
        return t.getValue();
      }
    }
    throw new IllegalStateException("no client tag");
  }

  @Override
  public void attemptEnded(AttemptEnded e) {
    Timer.builder(REQUESTS)
        .description("TPNS HTTP attempts")
        .tags(common)
        .tag("endpoint", e.endpoint().tag())
        .tag("status", e.isIoFailure() ? "IO_ERROR" : Integer.toString(e.httpStatus()))
        .tag("outcome", e.isIoFailure() ? "UNKNOWN" : statusClass(e.httpStatus()))
        .tag("ret_code", retCode(e.retCode()))
        .tag("error", error(e.failure()))
        .register(registry)
        .record(e.elapsed());
  }

  @Override
  public void callEnded(CallEnded e) {
    if (!e.sent()) {
      return; // taken back by its bulk run before it was sent: neither a call nor a retry
    }
    if (e.requeued()) {
      // The bulk run slowed down and sends the items again: a retry, not a failed call.
      retry(e.endpoint(), "RATE_LIMITED");
      return;
    }
    Timer.builder(CALLS)
        .description("TPNS calls, after their retries")
        .tags(common)
        .tag("endpoint", e.endpoint().tag())
        .tag("result", result(e.retCode(), e.failure()))
        .tag("error", error(e.failure()))
        .register(registry)
        .record(e.elapsed());
  }

  @Override
  public void retryScheduled(RetryScheduled e) {
    retry(e.endpoint(), reason(e.cause()));
  }

  private void retry(Endpoint endpoint, String reason) {
    Counter.builder(RETRIES)
        .description("TPNS retries: scheduled by a call, or a rate-limited bulk call sent again")
        .tags(common)
        .tag("endpoint", endpoint.tag())
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  @Override
  public void bulkRunStarted(BulkRunStarted e) {
    allowedByRun.put(e.runId(), e.callsInFlightAllowed());
  }

  @Override
  public void bulkLimitChanged(BulkLimitChanged e) {
    allowedByRun.computeIfPresent(e.runId(), (run, old) -> e.callsInFlightAllowed());
  }

  @Override
  public void bulkRunEnded(BulkRunEnded e) {
    allowedByRun.remove(e.runId());
  }

  @Override
  public void bulkCallEnded(BulkCallEnded e) {
    itemsSucceeded.increment(e.itemsSucceeded());
    itemsFailed.increment(e.itemsFailed());
  }

  static String retCode(Integer retCode) {
    if (retCode == null) {
      return "NONE";
    }
    return ResultCode.of(retCode) == ResultCode.UNKNOWN ? "OTHER" : Integer.toString(retCode);
  }

  /** Micrometer's (and Spring's) {@code outcome}: the class of the HTTP status. */
  static String statusClass(int status) {
    if (status >= 100 && status < 200) {
      return "INFORMATIONAL";
    }
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    }
    if (status >= 500 && status < 600) {
      return "SERVER_ERROR";
    }
    return "UNKNOWN";
  }

  /** TPNS's own result of a call. */
  static String result(Integer retCode, TpnsException failure) {
    if (failure != null) {
      return "FAILED";
    }
    return retCode != null && retCode != 0 ? "ITEM_FAILURES" : "SUCCESS";
  }

  /** The Observation convention's {@code error}: the exception's simple class name, or none. */
  static String error(TpnsException failure) {
    return failure == null ? "none" : failure.getClass().getSimpleName();
  }

  static String reason(TpnsException cause) {
    if (cause instanceof TpnsRateLimitException) {
      return "RATE_LIMITED";
    }
    if (cause instanceof TpnsApiException) {
      return ((TpnsApiException) cause).retCode() == 1008004 ? "INTERNAL_ERROR" : "OTHER";
    }
    if (cause instanceof TpnsHttpException) {
      return ((TpnsHttpException) cause).httpStatus() == 429 ? "HTTP_429" : "HTTP_5XX";
    }
    if (cause instanceof TpnsTransportException) {
      return "IO_ERROR";
    }
    return "OTHER";
  }

  /**
   * The {@value #BULK_CALLS_ALLOWED} gauge of one set of tags on one registry, shared by every open
   * listener with those tags: Micrometer keeps one gauge per name and tags (a second registration
   * returns the first gauge), so the gauge sums the runs of all of them. It holds each listener's
   * runs weakly, so that the registry keeps no listener alive.
   */
  private static final class SharedGauge {
    /**
     * Per registry (held weakly: a registry that is dropped takes its entry with it), per tags.
     * Guarded by itself, so that a listener that joins and the last one that leaves never race.
     */
    private static final Map<MeterRegistry, Map<Tags, SharedGauge>> GAUGES = new WeakHashMap<>();

    private final List<WeakReference<Map<Long, Integer>>> runs = new CopyOnWriteArrayList<>();

    /** The id of the registered gauge, as the registry mapped it; never the registry itself. */
    private Meter.Id id;

    static SharedGauge join(MeterRegistry registry, Tags tags, Map<Long, Integer> runsOfListener) {
      synchronized (GAUGES) {
        Map<Tags, SharedGauge> ofRegistry = GAUGES.get(registry);
        if (ofRegistry == null) {
          ofRegistry = new HashMap<>();
          GAUGES.put(registry, ofRegistry);
        }
        SharedGauge shared = ofRegistry.get(tags);
        if (shared == null) {
          shared = new SharedGauge();
          shared.id =
              Gauge.builder(BULK_CALLS_ALLOWED, shared, SharedGauge::sum)
                  .description(
                      "Calls in flight the running bulk runs allow, summed (lower after rate"
                          + " limits)")
                  .tags(tags)
                  .strongReference(true) // its own state: it holds no listener
                  .register(registry)
                  .getId();
          ofRegistry.put(tags, shared);
        }
        shared.runs.removeIf(r -> r.get() == null); // listeners dropped without close()
        shared.runs.add(new WeakReference<>(runsOfListener));
        return shared;
      }
    }

    void leave(MeterRegistry registry, Tags tags, Map<Long, Integer> runsOfListener) {
      synchronized (GAUGES) {
        runs.removeIf(r -> r.get() == null || r.get() == runsOfListener);
        if (!runs.isEmpty()) {
          return;
        }
        Map<Tags, SharedGauge> ofRegistry = GAUGES.get(registry);
        if (ofRegistry != null && ofRegistry.get(tags) == this) {
          ofRegistry.remove(tags);
          if (ofRegistry.isEmpty()) {
            GAUGES.remove(registry);
          }
          registry.remove(id);
        }
      }
    }

    private double sum() {
      long total = 0;
      for (WeakReference<Map<Long, Integer>> ref : runs) {
        Map<Long, Integer> ofListener = ref.get();
        if (ofListener != null) {
          for (int allowed : ofListener.values()) {
            total += allowed;
          }
        }
      }
      return total;
    }
  }
}
