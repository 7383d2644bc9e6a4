package io.github.tpns4j;

/**
 * The exchange with TPNS failed: a connection, TLS or read failure, a timeout, or an interrupted
 * wait. The cause is kept. Retryable, except when the call was cancelled or the thread was
 * interrupted. A bind that timed out may still have been applied by the server; every batch
 * operation is idempotent, so repeating it is safe.
 */
public class TpnsTransportException extends TpnsException {
  private static final long serialVersionUID = 1L;

  TpnsTransportException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable, null);
  }
}
