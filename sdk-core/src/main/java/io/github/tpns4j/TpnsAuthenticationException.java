package io.github.tpns4j;

/**
 * TPNS refused the credentials: {@code ret_code} 1008003 (authentication failed) or 10030002
 * (AccessID and secret key do not match). Check the access ID and secret key in the TPNS console,
 * that the client uses the app's region (data is separate per access point), and that the machine's
 * clock is right (the signature carries a timestamp). Not retryable.
 */
public class TpnsAuthenticationException extends TpnsApiException {
  private static final long serialVersionUID = 1L;

  TpnsAuthenticationException(String message, int retCode, String errMsg, int httpStatus) {
    super(message, retCode, errMsg, httpStatus, false, null);
  }
}
