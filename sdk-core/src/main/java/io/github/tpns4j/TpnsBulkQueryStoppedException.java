package io.github.tpns4j;

import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkResult;

/**
 * A bulk query ended before its input did; the same rules as {@link TpnsBulkStoppedException}.
 * Nothing from {@link #inputIndex()} on was asked for, and every key before it was either handed to
 * the handler or is in the partial result's failures, so the rest of the work is exactly:
 *
 * <pre>{@code
 * BulkQueryResult<Account, String> partial = e.partialResult(request);
 * client.bulkQuery(partial.retryFailed(), handler);
 * client.bulkQuery(request.withKeys(inputFrom(e.inputIndex())), handler);
 * }</pre>
 */
public final class TpnsBulkQueryStoppedException extends TpnsBulkStoppedException {
  private static final long serialVersionUID = 1L;

  private final transient BulkQueryRequest<?, ?> request;
  private final transient BulkQueryResult<?, ?> partial;

  TpnsBulkQueryStoppedException(
      String message,
      Throwable cause,
      long inputIndex,
      BulkQueryRequest<?, ?> request,
      BulkQueryResult<?, ?> partial) {
    super(message, cause, inputIndex, null);
    this.request = request;
    this.partial = partial;
  }

  /**
   * The keys answered and not answered before the stop, typed by the request that was run; {@link
   * BulkQueryResult#retryFailed()} works on it.
   *
   * @param request the request given to {@code bulkQuery}
   * @throws IllegalArgumentException when {@code request} is not the one that stopped
   */
  @SuppressWarnings("unchecked")
  public <K, V> BulkQueryResult<K, V> partialResult(BulkQueryRequest<K, V> request) {
    if (request != this.request) {
      throw new IllegalArgumentException(
          "pass the BulkQueryRequest given to the bulkQuery that stopped");
    }
    return (BulkQueryResult<K, V>) partial;
  }

  /**
   * Always throws: a bulk query's partial result is {@link #partialResult(BulkQueryRequest)}, typed
   * by its request.
   *
   * @throws IllegalStateException always
   */
  @Override
  public BulkResult partialResult() {
    throw new IllegalStateException(
        "this run was a bulk query: its partial result is partialResult(request)");
  }
}
