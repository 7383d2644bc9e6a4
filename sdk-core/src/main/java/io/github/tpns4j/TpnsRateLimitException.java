package io.github.tpns4j;

import java.time.Duration;

/**
 * TPNS answered {@code ret_code} 1008028 (request too fast), and the client's retries did not get
 * through. Retryable: slow down, and wait at least {@link #retryAfter()} when present.
 */
public class TpnsRateLimitException extends TpnsApiException {
  private static final long serialVersionUID = 1L;

  TpnsRateLimitException(
      String message, int retCode, String errMsg, int httpStatus, Duration retryAfter) {
    super(message, retCode, errMsg, httpStatus, true, retryAfter);
  }
}
