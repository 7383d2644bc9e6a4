package io.github.tpns4j;

import io.github.tpns4j.account.BulkResult;

/**
 * A bulk run ended before its input did. Nothing from {@link #inputIndex()} on was sent, and every
 * item before it is in {@link #partialResult()}, as a success or a failure, so the rest of the work
 * is exactly {@code partialResult().retryFailed()} plus the input from {@code inputIndex()} on.
 *
 * <p>{@link #getCause()} says why: the {@link TpnsValidationException} of an invalid item, what the
 * input's iterator or the progress listener threw, the client's "closed" {@link TpnsException}, the
 * call failure every later call would share (refused credentials, an unavailable app), or the last
 * of 16 calls in a row that failed as a whole (an outage). {@link #isRetryable()} is the cause's.
 */
public class TpnsBulkStoppedException extends TpnsException {
  private static final long serialVersionUID = 1L;

  private final long inputIndex;
  private final transient BulkResult partialResult;

  TpnsBulkStoppedException(
      String message, Throwable cause, long inputIndex, BulkResult partialResult) {
    super(
        message,
        cause,
        cause instanceof TpnsException && ((TpnsException) cause).isRetryable(),
        cause instanceof TpnsException ? ((TpnsException) cause).retryAfter().orElse(null) : null);
    this.inputIndex = inputIndex;
    this.partialResult = partialResult;
  }

  /** The 0-based position in the input of the first item that is neither sent nor accounted for. */
  public long inputIndex() {
    return inputIndex;
  }

  /** The calls made before the stop; {@link BulkResult#retryFailed()} works on it. */
  public BulkResult partialResult() {
    return partialResult;
  }
}
