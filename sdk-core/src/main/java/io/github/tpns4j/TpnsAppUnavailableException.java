package io.github.tpns4j;

/**
 * The TPNS app itself cannot serve requests: {@code ret_code} 1008030 (app not paid), 1008031 (app
 * resources destroyed) or 1010001 (resources not deployed). Nothing in the request can fix this;
 * the app's owner must act in the TPNS console. Not retryable.
 */
public class TpnsAppUnavailableException extends TpnsApiException {
  private static final long serialVersionUID = 1L;

  TpnsAppUnavailableException(String message, int retCode, String errMsg, int httpStatus) {
    super(message, retCode, errMsg, httpStatus, false, null);
  }
}
