package io.github.tpns4j;

import io.github.tpns4j.account.BulkResult;

/**
 * A {@code bulkOperate} run ended before its input did ({@link TpnsBulkQueryStoppedException} is
 * its sibling for {@code bulkQuery}; {@link TpnsBulkRunStoppedException} is their common base).
 * Nothing from {@link #inputIndex()} on was sent, and every item before it is in {@link
 * #partialResult()}, as a success or a failure, so the rest of the work is exactly {@code
 * partialResult().retryFailed()} plus the input from {@code inputIndex()} on.
 *
 * <p>{@link #getCause()} says why: the {@link TpnsValidationException} of an invalid item, what the
 * input's iterator or the progress listener threw, {@link TpnsClientClosedException}, the call
 * failure every later call would share (refused credentials, an unavailable app), or the last of 16
 * calls in a row that failed as a whole (an outage). {@link #isRetryable()} is the cause's.
 */
public class TpnsBulkStoppedException extends TpnsBulkRunStoppedException {
  private static final long serialVersionUID = 1L;

  private final transient BulkResult partialResult;

  TpnsBulkStoppedException(
      String message, Throwable cause, long inputIndex, BulkResult partialResult) {
    super(message, cause, inputIndex);
    this.partialResult = partialResult;
  }

  /** The 0-based position in the input of the first item that is neither sent nor accounted for. */
  @Override
  public long inputIndex() {
    return super.inputIndex();
  }

  /** The calls made before the stop; {@link BulkResult#retryFailed()} works on it. */
  public BulkResult partialResult() {
    return partialResult;
  }
}
