package io.github.tpns4j;

import java.time.Duration;

/**
 * TPNS answered with a {@code ret_code} that is neither success nor a per-item batch outcome. The
 * code, message and HTTP status are kept as received; {@link ResultCode#of(int)} gives a typed view
 * of the code.
 */
public class TpnsApiException extends TpnsException {
  private static final long serialVersionUID = 1L;

  private final int retCode;
  private final String errMsg;
  private final int httpStatus;

  TpnsApiException(
      String message,
      int retCode,
      String errMsg,
      int httpStatus,
      boolean retryable,
      Duration retryAfter) {
    super(message, null, retryable, retryAfter);
    this.retCode = retCode;
    this.errMsg = errMsg;
    this.httpStatus = httpStatus;
  }

  /** The TPNS return code, e.g. {@code 1008007}. */
  public int retCode() {
    return retCode;
  }

  /** The server's message as received; empty when it sent none. */
  public String errMsg() {
    return errMsg;
  }

  /** The HTTP status of the answer that carried the code (usually 200). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The typed view of {@link #retCode()}; {@link ResultCode#UNKNOWN} for a code not documented. */
  public ResultCode resultCode() {
    return ResultCode.of(retCode);
  }
}
