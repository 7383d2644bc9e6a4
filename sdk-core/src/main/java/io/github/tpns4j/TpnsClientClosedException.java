package io.github.tpns4j;

/**
 * The {@link TpnsClient} was closed: the call was not sent, or not sent again. Not retryable on
 * this client; build a new one. A bulk run that stops because its client closed has this as its
 * cause, and resumes exactly on a new client from its partial result and {@code inputIndex()}.
 */
public class TpnsClientClosedException extends TpnsException {
  private static final long serialVersionUID = 1L;

  TpnsClientClosedException() {
    super(
        "this TpnsClient is closed; the call was not sent (or not sent again). Build a new client",
        null,
        false,
        null);
  }
}
