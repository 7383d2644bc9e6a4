package io.github.tpns4j;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Builds the exceptions for failed exchanges; each message says what to do next. */
final class Failures {
  static final int RATE_LIMITED = 1008028;
  static final int INTERNAL_ERROR = 1008004;
  private static final String CODES_DOC = "https://cloud.tencent.com/document/product/548/39080";

  private Failures() {}

  static boolean isRetryableStatus(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /**
   * @param errMsg the server's {@code err_msg}, masked; kept whole in {@link
   *     TpnsApiException#errMsg()}
   * @param quotedErrMsg the same, bounded for the message
   */
  static TpnsException api(
      String endpoint,
      int retCode,
      String errMsg,
      String quotedErrMsg,
      int status,
      Duration retryAfter) {
    String head =
        "TPNS answered ret_code "
            + retCode
            + " ("
            + ResultCode.of(retCode)
            + ", err_msg \""
            + quotedErrMsg
            + "\", HTTP "
            + status
            + ") to "
            + endpoint
            + ": ";
    switch (retCode) {
      case 1008003:
      case 10030002:
        return new TpnsAuthenticationException(
            head
                + "the credentials were refused; check the access ID and secret key in the TPNS "
                + "console, that the client uses the app's region, and that this machine's clock is right",
            retCode,
            errMsg,
            status);
      case RATE_LIMITED:
        return new TpnsRateLimitException(
            head + "requests are too fast; send fewer calls at once, or wait before retrying",
            retCode,
            errMsg,
            status,
            retryAfter);
      case 1008030:
      case 1008031:
      case 1010001:
        return new TpnsAppUnavailableException(
            head
                + "the app cannot serve requests (unpaid, destroyed or not deployed); its owner "
                + "must act in the TPNS console",
            retCode,
            errMsg,
            status);
      case INTERNAL_ERROR:
        return new TpnsApiException(
            head + "a TPNS internal call failed; retry later",
            retCode,
            errMsg,
            status,
            true,
            retryAfter);
      case 1008001:
      case 1008002:
      case 1008007:
        return new TpnsApiException(
            head
                + "the server refused the request's parameters; check the values against the "
                + "TPNS limits (see "
                + CODES_DOC
                + ")",
            retCode,
            errMsg,
            status,
            false,
            retryAfter);
      default:
        return new TpnsApiException(
            head + "see " + CODES_DOC + " for this code",
            retCode,
            errMsg,
            status,
            false,
            retryAfter);
    }
  }

  /**
   * @param quotedBody the start of the body, masked and bounded; null when empty
   */
  static TpnsHttpException http(
      String endpoint, int status, String quotedBody, Duration retryAfter) {
    boolean retryable = isRetryableStatus(status);
    String what =
        retryable
            ? "the server or a proxy is overloaded or failing; retry later"
            : status == 401 || status == 403
                ? "access was refused (TPNS may also answer 403 when throttling); check the credentials and region"
                : status == 404
                    ? "no such endpoint; check the base URL (it should be an access point such as "
                        + Region.GUANGZHOU.baseUrl()
                        + ")"
                    : "this is not a TPNS answer; check the base URL and any proxy in between";
    return new TpnsHttpException(
        "HTTP "
            + status
            + " from "
            + endpoint
            + " without a TPNS JSON body"
            + excerpt(quotedBody)
            + ": "
            + what,
        status,
        retryable,
        retryAfter);
  }

  /**
   * @param quotedProblem what is wrong with the body, masked and bounded
   * @param quotedBody the start of the body, masked and bounded; null when empty
   */
  static TpnsProtocolException protocol(
      String endpoint, int status, String quotedProblem, String quotedBody, Throwable cause) {
    return new TpnsProtocolException(
        "HTTP "
            + status
            + " from "
            + endpoint
            + " is not the documented TPNS JSON: "
            + quotedProblem
            + excerpt(quotedBody)
            + "; check that the base URL is a TPNS access point",
        cause);
  }

  static TpnsProtocolException tooLarge(String endpoint, int status, long limit) {
    return new TpnsProtocolException(
        "HTTP "
            + status
            + " from "
            + endpoint
            + " has a body larger than "
            + limit
            + " bytes, far more than any TPNS answer; it was not read. Check that the base URL is "
            + "a TPNS access point",
        null);
  }

  /**
   * An I/O failure or timeout; retryable.
   *
   * @param quotedProblem the exception's text, masked and bounded (it may quote the server)
   */
  static TpnsTransportException transport(
      String endpoint, boolean timedOut, String quotedProblem, Throwable cause) {
    return new TpnsTransportException(
        endpoint
            + (timedOut ? " timed out (" : " failed (")
            + quotedProblem
            + "); check network access to the TPNS access point or raise the timeouts; batch "
            + "operations are idempotent, so repeating the call is safe",
        cause,
        true);
  }

  /**
   * The call's {@code callDeadline} passed before it ended (queued in the dispatcher, on the wire,
   * or waiting to retry); retryable.
   */
  static TpnsTransportException deadlinePassed(
      String endpoint, long deadlineNanos, int attempts, long elapsedNanos, Throwable cause) {
    return new TpnsTransportException(
        endpoint
            + " did not end within its callDeadline of "
            + java.time.Duration.ofNanos(deadlineNanos)
            + " ("
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + " in "
            + elapsedNanos / 1_000_000
            + " ms, time queued for OkHttp's dispatcher included); check network access to the "
            + "TPNS access point, or raise callDeadline; batch operations are idempotent, so "
            + "repeating the call is safe",
        cause,
        true);
  }

  /** A TLS handshake or certificate failure: the same call would fail again. */
  static TpnsTransportException tls(String endpoint, String quotedProblem, Throwable cause) {
    return new TpnsTransportException(
        endpoint
            + ": the TLS handshake failed ("
            + quotedProblem
            + "); check that the base URL's scheme matches the server (https for TPNS), and the "
            + "JVM's trusted certificates and clock; not retried",
        cause,
        false);
  }

  /** The call was cancelled by someone other than the future's owner, e.g. dispatcher.cancelAll. */
  static TpnsTransportException canceled(String endpoint, Throwable cause) {
    return new TpnsTransportException(
        endpoint + " was canceled through the OkHttpClient (not by tpns4j); not retried",
        cause,
        false);
  }

  static TpnsTransportException interrupted(String endpoint, Throwable cause) {
    return new TpnsTransportException(
        endpoint
            + " was interrupted; the thread's interrupt flag is set, and the call is not retried",
        cause,
        false);
  }

  /** Anything the HTTP stack or the answer's handling threw that is not an I/O failure. */
  static TpnsTransportException unexpected(String endpoint, String quotedProblem, Throwable e) {
    return new TpnsTransportException(
        endpoint
            + " failed unexpectedly ("
            + quotedProblem
            + "), in the HTTP client or while reading the answer (one that breaks the HTTP "
            + "protocol, say); not retried",
        e,
        false);
  }

  /**
   * The OkHttp client's executor refused to run a bulk run's calls: it is shut down. Every call of
   * the run would meet it, so the run stops.
   */
  static TpnsException executorRefused(Throwable cause) {
    return new TpnsException(
        "the OkHttp client's dispatcher executor refused to run the bulk run's calls (it is shut"
            + " down, or full), so they were not sent; build the TpnsClient with an OkHttpClient"
            + " whose dispatcher executor runs and can take concurrency() more tasks, then resume",
        cause);
  }

  /**
   * A bulk run's call taken back before it was sent (the run paused, or stopped): its items go
   * again in another call, or are left unanswered. Reported as a requeued end, never thrown.
   */
  static TpnsException notSent(String name) {
    return new TpnsException(
        name + " was taken back by its bulk run before it was sent (the run paused or stopped)");
  }

  /** What a future failed with: the cause a {@code CompletionException} carries, else itself. */
  static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }

  static TpnsClientClosedException closed() {
    return new TpnsClientClosedException();
  }

  private static String excerpt(String quotedBody) {
    return quotedBody == null || quotedBody.isEmpty()
        ? " (empty body)"
        : " (body: \"" + quotedBody + "\")";
  }

  /**
   * A {@code Retry-After} value: delay-seconds or an HTTP date (RFC 7231 7.1.3). Null when absent
   * or unreadable; never negative.
   */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return null;
    }
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return Duration.ofSeconds(Long.MAX_VALUE);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
