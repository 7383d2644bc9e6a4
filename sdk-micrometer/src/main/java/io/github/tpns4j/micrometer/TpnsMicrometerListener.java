package io.github.tpns4j.micrometer;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.TpnsApiException;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsHttpException;
import io.github.tpns4j.TpnsProtocolException;
import io.github.tpns4j.TpnsRateLimitException;
import io.github.tpns4j.TpnsTransportException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a {@code TpnsClient} does into a {@link MeterRegistry}:
 *
 * <ul>
 *   <li>timer {@value #REQUESTS}, per HTTP attempt, tags {@code endpoint} ({@code batchoperate},
 *       {@code query}), {@code status} (the HTTP status, or {@code IO_ERROR}), {@code ret_code} (a
 *       documented TPNS code, {@code OTHER} for any other, or {@code NONE}) and {@code outcome};
 *   <li>timer {@value #CALLS}, per call after its retries, tags {@code endpoint}, {@code outcome};
 *   <li>counter {@value #RETRIES}, tags {@code endpoint}, {@code reason};
 *   <li>counter {@value #BULK_ITEMS}, tag {@code result} ({@code succeeded}, {@code failed});
 *   <li>gauge {@value #BULK_CALLS_ALLOWED}: the calls in flight the latest bulk run allows.
 * </ul>
 *
 * <p>{@code outcome} is one of {@code SUCCESS}, {@code ITEM_FAILURES} (TPNS answered 1008026 or
 * 1008027: see the per-item codes), {@code API_ERROR}, {@code HTTP_ERROR}, {@code IO_ERROR}, {@code
 * PROTOCOL_ERROR}, {@code OTHER}; {@code reason} one of {@code RATE_LIMITED}, {@code
 * INTERNAL_ERROR}, {@code HTTP_429}, {@code HTTP_5XX}, {@code IO_ERROR}, {@code OTHER}. Every tag
 * value comes from a closed set: no token, account or message becomes a tag. Thread-safe.
 *
 * <pre>{@code
 * TpnsClient client = TpnsClient.builder()
 *     .accessId(...).secretKey(...)
 *     .eventListener(new TpnsMicrometerListener(meterRegistry))
 *     .build();
 * }</pre>
 */
public final class TpnsMicrometerListener implements TpnsEventListener {
  public static final String REQUESTS = "tpns.client.requests";
  public static final String CALLS = "tpns.client.calls";
  public static final String RETRIES = "tpns.client.retries";
  public static final String BULK_ITEMS = "tpns.client.bulk.items";
  public static final String BULK_CALLS_ALLOWED = "tpns.client.bulk.calls.allowed";

  private final MeterRegistry registry;
  private final Tags common;
  private final Counter itemsSucceeded;
  private final Counter itemsFailed;
  private final AtomicInteger callsAllowed = new AtomicInteger();

  /** Records into {@code registry}. */
  public TpnsMicrometerListener(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Records into {@code registry}, adding {@code tags} to every meter (e.g. the app's name). */
  public TpnsMicrometerListener(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Tags.of(Objects.requireNonNull(tags, "tags"));
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
    Gauge.builder(BULK_CALLS_ALLOWED, callsAllowed, AtomicInteger::get)
        .description("Calls in flight the latest bulk run allows (lower after rate limiting)")
        .tags(common)
        .register(registry);
  }

  @Override
  public void attemptEnded(AttemptEnded e) {
    Timer.builder(REQUESTS)
        .description("TPNS HTTP attempts")
        .tags(common)
        .tag("endpoint", e.endpoint().tag())
        .tag("status", e.isIoFailure() ? "IO_ERROR" : Integer.toString(e.httpStatus()))
        .tag("ret_code", retCode(e.retCode()))
        .tag("outcome", outcome(e.retCode(), e.failure()))
        .register(registry)
        .record(e.elapsed());
  }

  @Override
  public void callEnded(CallEnded e) {
    Timer.builder(CALLS)
        .description("TPNS calls, after their retries")
        .tags(common)
        .tag("endpoint", e.endpoint().tag())
        .tag("outcome", outcome(e.retCode(), e.failure()))
        .register(registry)
        .record(e.elapsed());
  }

  @Override
  public void retryScheduled(RetryScheduled e) {
    Counter.builder(RETRIES)
        .description("TPNS retries scheduled")
        .tags(common)
        .tag("endpoint", e.endpoint().tag())
        .tag("reason", reason(e.cause()))
        .register(registry)
        .increment();
  }

  @Override
  public void bulkLimitChanged(BulkLimitChanged e) {
    callsAllowed.set(e.callsInFlightAllowed());
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

  static String outcome(Integer retCode, TpnsException failure) {
    if (failure == null) {
      return retCode != null && retCode != 0 ? "ITEM_FAILURES" : "SUCCESS";
    }
    if (failure instanceof TpnsApiException) {
      return "API_ERROR";
    }
    if (failure instanceof TpnsHttpException) {
      return "HTTP_ERROR";
    }
    if (failure instanceof TpnsTransportException) {
      return "IO_ERROR";
    }
    if (failure instanceof TpnsProtocolException) {
      return "PROTOCOL_ERROR";
    }
    return "OTHER";
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
