package io.github.tpns4j;

import java.time.Duration;

/**
 * A non-2xx HTTP answer without a TPNS JSON body, typically from a proxy or gateway. Retryable for
 * 429, 500, 502, 503 and 504.
 */
public class TpnsHttpException extends TpnsException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  TpnsHttpException(String message, int httpStatus, boolean retryable, Duration retryAfter) {
    super(message, null, retryable, retryAfter);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status code, e.g. 503. */
  public int httpStatus() {
    return httpStatus;
  }
}
