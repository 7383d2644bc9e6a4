package io.github.tpns4j;

import java.time.Duration;
import java.util.Optional;

/**
 * The root of every exception tpns4j throws. Unchecked.
 *
 * <p>Each subclass stands for what a caller does next: {@link TpnsValidationException} (fix the
 * input), {@link TpnsAuthenticationException} (fix the credentials), {@link TpnsRateLimitException}
 * (slow down), {@link TpnsTransportException} and retryable {@link TpnsHttpException}s (try again
 * later). {@link #isRetryable()} answers whether the same call could succeed later; the client has
 * already retried such calls {@code maxRetries} times when it throws one.
 *
 * <p>Messages never contain the secret key, the {@code Authorization} value or the {@code Sign}
 * value.
 */
public class TpnsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final Duration retryAfter;

  /** An exception that is not retryable. */
  public TpnsException(String message) {
    this(message, null, false, null);
  }

  /** An exception that is not retryable, with its cause. */
  public TpnsException(String message, Throwable cause) {
    this(message, cause, false, null);
  }

  TpnsException(String message, Throwable cause, boolean retryable, Duration retryAfter) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * Whether the same call, made again later, could succeed: true for I/O failures, timeouts, HTTP
   * 429/500/502/503/504 and the TPNS codes 1008004 (internal service call failed) and 1008028 (rate
   * limited).
   */
  public boolean isRetryable() {
    return retryable;
  }

  /** The delay the server asked for in its {@code Retry-After} header, if it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
