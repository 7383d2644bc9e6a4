package io.github.tpns4j;

/**
 * A 2xx answer whose body is not the documented TPNS JSON (unparseable, or without {@code
 * ret_code}/{@code retCode}). Usually a wrong base URL (a web page or a gateway's answer instead of
 * the API) or a changed API. Not retryable.
 */
public class TpnsProtocolException extends TpnsException {
  private static final long serialVersionUID = 1L;

  TpnsProtocolException(String message, Throwable cause) {
    super(message, cause, false, null);
  }
}
