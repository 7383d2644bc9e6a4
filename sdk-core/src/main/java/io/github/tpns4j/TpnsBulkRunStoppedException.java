package io.github.tpns4j;

/**
 * A bulk run ended before its input did: {@link TpnsBulkStoppedException} for {@code bulkOperate},
 * {@link TpnsBulkQueryStoppedException} for {@code bulkQuery}. Each gives the partial result of its
 * kind; both say where the input stopped. Nothing from {@link #inputIndex()} on was sent, and every
 * item before it is in the partial result, as a success or a failure.
 *
 * <p>{@link #getCause()} says why; {@link #isRetryable()} and {@link #retryAfter()} are the
 * cause's.
 */
public abstract class TpnsBulkRunStoppedException extends TpnsException {
  private static final long serialVersionUID = 1L;

  private final long inputIndex;

  TpnsBulkRunStoppedException(String message, Throwable cause, long inputIndex) {
    super(
        message,
        cause,
        cause instanceof TpnsException && ((TpnsException) cause).isRetryable(),
        cause instanceof TpnsException ? ((TpnsException) cause).retryAfter().orElse(null) : null);
    this.inputIndex = inputIndex;
  }

  /** The 0-based position in the input of the first item that is neither sent nor accounted for. */
  public long inputIndex() {
    return inputIndex;
  }
}
