package io.github.tpns4j;

/**
 * A typed view of the TPNS return codes documented for the account APIs (<a
 * href="https://cloud.tencent.com/document/product/548/39080">TPNS return codes</a>). The numeric
 * and string values are always kept as received; this enum only names them. A code that is not
 * documented maps to {@link #UNKNOWN}.
 */
public enum ResultCode {
  /** 0: success. */
  SUCCESS(0),
  /** 1008001: the server could not parse a parameter. */
  PARAMETER_PARSE_ERROR(1008001),
  /** 1008002: a required parameter is missing. */
  PARAMETER_MISSING(1008002),
  /** 1008003: authentication failed. */
  AUTHENTICATION_FAILED(1008003),
  /** 1008004: an internal service call failed (retryable). */
  INTERNAL_ERROR(1008004),
  /** 1008006: invalid token; per item, the token is not registered with this app. */
  INVALID_TOKEN(1008006),
  /** 1008007: parameter validation failed. */
  PARAMETER_INVALID(1008007),
  /** 1008026: the batch operation failed for some items (see the per-item codes). */
  PARTIAL_FAILURE(1008026),
  /** 1008027: the batch operation failed for every item (see the per-item codes). */
  ALL_FAILED(1008027),
  /** 1008028: request too fast (rate limited, retryable). */
  RATE_LIMITED(1008028),
  /** 1008029: illegal token. */
  ILLEGAL_TOKEN(1008029),
  /** 1008030: the app is not paid. */
  APP_NOT_PAID(1008030),
  /** 1008031: the app's resources were destroyed. */
  APP_DESTROYED(1008031),
  /** 1010001: resources are not deployed for this app. */
  APP_NOT_DEPLOYED(1010001),
  /** 10110008: the queried token or account does not exist. */
  NOT_FOUND(10110008),
  /** 10030002: the AccessID and the secret key do not match. */
  CREDENTIALS_MISMATCH(10030002),
  /** Any code not listed here; the raw value stays available where the code was read. */
  UNKNOWN(-1);

  private final int code;

  ResultCode(int code) {
    this.code = code;
  }

  /**
   * Whether an item (or a call) that failed with this code may succeed if sent again unchanged:
   * {@link #INTERNAL_ERROR} and {@link #RATE_LIMITED}. Every other failure code needs a fix first
   * (an unregistered token, an account already bound to 100 tokens, a refused parameter, the app's
   * state); {@link #UNKNOWN} is not retryable either, since nothing says it would pass. An item
   * with no code at all (its call got no answer) is a different case: see {@link
   * io.github.tpns4j.account.ItemResult#isRetryable()}.
   */
  public boolean isRetryable() {
    return this == INTERNAL_ERROR || this == RATE_LIMITED;
  }

  /** The numeric TPNS code; -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The constant for a numeric code, or {@link #UNKNOWN}. */
  public static ResultCode of(int code) {
    for (ResultCode c : values()) {
      if (c.code == code && c != UNKNOWN) {
        return c;
      }
    }
    return UNKNOWN;
  }

  /**
   * The constant for a per-item code as TPNS sends it ({@code "0"}, {@code "1008006"}); {@code
   * "ok"}, which older servers send for success, is {@link #SUCCESS}. Null, or anything that is not
   * a number, is {@link #UNKNOWN}.
   */
  public static ResultCode of(String code) {
    if (code == null) {
      return UNKNOWN;
    }
    if ("ok".equalsIgnoreCase(code)) {
      return SUCCESS;
    }
    try {
      return of(Integer.parseInt(code.trim()));
    } catch (NumberFormatException e) {
      return UNKNOWN;
    }
  }
}
