package io.github.tpns4j;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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

  static TpnsException api(
      String endpoint, int retCode, String errMsg, int status, Duration retryAfter) {
    String head =
        "TPNS answered ret_code "
            + retCode
            + " ("
            + ResultCode.of(retCode)
            + ", err_msg \""
            + errMsg
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

  static TpnsHttpException http(String endpoint, int status, byte[] body, Duration retryAfter) {
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
            + snippet(body)
            + ": "
            + what,
        status,
        retryable,
        retryAfter);
  }

  static TpnsProtocolException protocol(
      String endpoint, int status, byte[] body, Answer.MalformedException e) {
    return new TpnsProtocolException(
        "HTTP "
            + status
            + " from "
            + endpoint
            + " is not the documented TPNS JSON: "
            + e.getMessage()
            + snippet(body)
            + "; check that the base URL is a TPNS access point",
        e);
  }

  static TpnsTransportException transport(String endpoint, IOException e, boolean canceled) {
    if (canceled) {
      return new TpnsTransportException(endpoint + " was canceled", e, false);
    }
    String kind =
        e instanceof SocketTimeoutException || e instanceof InterruptedIOException
            ? "timed out"
            : "failed";
    return new TpnsTransportException(
        endpoint
            + " "
            + kind
            + " ("
            + e
            + "); check network access to the TPNS access point or raise "
            + "the timeouts; batch operations are idempotent, so repeating the call is safe",
        e,
        true);
  }

  static TpnsTransportException interrupted(String endpoint, InterruptedException e) {
    return new TpnsTransportException(
        endpoint + " was interrupted while waiting to retry; the thread's interrupt flag is set",
        e,
        false);
  }

  /** Anything the HTTP stack threw that is not an IOException: an interrupt, or a bug. */
  static TpnsTransportException unexpected(String endpoint, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new TpnsTransportException(
          endpoint + " was interrupted; the thread's interrupt flag is set", e, false);
    }
    return new TpnsTransportException(endpoint + " failed unexpectedly (" + e + ")", e, false);
  }

  static TpnsException closed() {
    return new TpnsException("this TpnsClient is closed; build a new one");
  }

  /**
   * The first 200 characters of a body, for messages; bodies come from the server, never from us.
   */
  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return " (empty body)";
    }
    String text = new String(body, 0, Math.min(body.length, 600), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(" (body: \"");
    int n = Math.min(text.length(), 200);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 ? ' ' : c);
    }
    if (text.length() > n || body.length > 600) {
      out.append("...");
    }
    return out.append("\")").toString();
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
