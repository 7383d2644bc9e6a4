package io.github.tpns4j.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure for {@link FakeTpnsServer#enqueueFailure} to serve instead of a normal answer.
 * Immutable value.
 */
public final class FakeFailure {
  enum Kind {
    RET_CODE,
    HTTP_STATUS,
    DISCONNECT
  }

  final Kind kind;
  final int retCode;
  final String errMsg;
  final int status;
  final String body;
  final Duration retryAfter;

  private FakeFailure(
      Kind kind, int retCode, String errMsg, int status, String body, Duration retryAfter) {
    this.kind = kind;
    this.retCode = retCode;
    this.errMsg = errMsg;
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /**
   * HTTP 200 with this {@code ret_code} and {@code err_msg} (spelled {@code retCode}/{@code errMsg}
   * on the query endpoint, as TPNS does), e.g. {@code retCode(1008028, "too fast")}.
   */
  public static FakeFailure retCode(int retCode, String errMsg) {
    return new FakeFailure(Kind.RET_CODE, retCode, errMsg == null ? "" : errMsg, 200, null, null);
  }

  /** This HTTP status with this raw body (null for none), e.g. {@code httpStatus(503, "busy")}. */
  public static FakeFailure httpStatus(int status, String body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status " + status + " is not in 100..599");
    }
    return new FakeFailure(Kind.HTTP_STATUS, 0, null, status, body == null ? "" : body, null);
  }

  /** Reads the request, then drops the connection without an answer. */
  public static FakeFailure disconnect() {
    return new FakeFailure(Kind.DISCONNECT, 0, null, 0, null, null);
  }

  /** The same failure with a {@code Retry-After} header of this many seconds (rounded up). */
  public FakeFailure retryAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("Retry-After " + delay + " is negative");
    }
    return new FakeFailure(kind, retCode, errMsg, status, body, delay);
  }

  /** The header value: whole seconds, rounded up. */
  String retryAfterHeader() {
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    return Long.toString(seconds);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FakeFailure)) {
      return false;
    }
    FakeFailure f = (FakeFailure) o;
    return kind == f.kind
        && retCode == f.retCode
        && status == f.status
        && Objects.equals(errMsg, f.errMsg)
        && Objects.equals(body, f.body)
        && Objects.equals(retryAfter, f.retryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, retCode, errMsg, status, body, retryAfter);
  }

  @Override
  public String toString() {
    String what;
    switch (kind) {
      case RET_CODE:
        what = "retCode=" + retCode + ", errMsg=" + errMsg;
        break;
      case HTTP_STATUS:
        what = "httpStatus=" + status;
        break;
      default:
        what = "disconnect";
    }
    return "FakeFailure{" + what + (retryAfter == null ? "" : ", retryAfter=" + retryAfter) + "}";
  }
}
