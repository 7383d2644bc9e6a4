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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
 * otherwise; a second listener on the same registry with the same value gets {@code value-2} (and
 * so on), never the first one's meters. {@code reason} is one of {@code RATE_LIMITED}, {@code
 * INTERNAL_ERROR}, {@code HTTP_429}, {@code HTTP_5XX}, {@code IO_ERROR}, {@code OTHER}. Every tag
 * value comes from a closed set: no token, account or message becomes a tag. Thread-safe.
 *
 * <pre>{@code
 * TpnsClient client = TpnsClient.builder()
 *     .accessId(...).secretKey(...)
 *     .eventListener(new TpnsMicrometerListener(meterRegistry, Tags.of("client", "shop-app")))
 *     .build();
 * }</pre>
 */
public final class TpnsMicrometerListener implements TpnsEventListener {
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
    this.common = clientTags(registry, Tags.of(Objects.requireNonNull(tags, "tags")));
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
    Gauge.builder(BULK_CALLS_ALLOWED, allowedByRun, TpnsMicrometerListener::sum)
        .description(
            "Calls in flight the running bulk runs allow, summed (lower after rate limits)")
        .tags(common)
        .register(registry);
  }

  /** {@code tags} with a {@code client} value no other listener of the registry has. */
  private static Tags clientTags(MeterRegistry registry, Tags tags) {
    String base = "default";
    for (Tag t : tags) {
      if (t.getKey().equals(CLIENT_TAG)) {
        base = t.getValue();
      }
    }
    String client = base;
    for (int n = 2;
        registry.find(BULK_CALLS_ALLOWED).tags(tags.and(CLIENT_TAG, client)).gauge() != null;
        n++) {
      client = base + "-" + n;
    }
    return tags.and(CLIENT_TAG, client);
  }

  private static double sum(Map<Long, Integer> runs) {
    long total = 0;
    for (int allowed : runs.values()) {
      total += allowed;
    }
    return total;
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
}
