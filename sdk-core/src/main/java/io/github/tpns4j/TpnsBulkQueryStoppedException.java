package io.github.tpns4j;

import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A bulk query ended before its input did; the sibling of {@link TpnsBulkStoppedException} (both
 * are {@link TpnsBulkRunStoppedException}s), with the same rules. Nothing from {@link
 * #inputIndex()} on was asked for, and every key before it was either handed to the handler or is
 * in the partial result's failures, so the rest of the work is exactly:
 *
 * <pre>{@code
 * BulkQueryResult<Account, String> partial = e.partialResult(request);
 * client.bulkQuery(partial.retryFailed(), handler);
 * client.bulkQuery(request.withKeys(inputFrom(e.inputIndex())), handler);
 * }</pre>
 */
public final class TpnsBulkQueryStoppedException extends TpnsBulkRunStoppedException {
  private static final long serialVersionUID = 1L;

  private final transient BulkQueryRequest<?, ?> request;
  private final transient BulkQueryResult<?, ?> partial;

  TpnsBulkQueryStoppedException(
      String message,
      Throwable cause,
      long inputIndex,
      BulkQueryRequest<?, ?> request,
      BulkQueryResult<?, ?> partial) {
    super(message, cause, inputIndex);
    this.request = request;
    this.partial = partial;
  }

  /** The 0-based position in the input of the first key that is neither asked for nor answered. */
  @Override
  public long inputIndex() {
    return super.inputIndex();
  }

  /**
   * The keys answered and not answered before the stop, typed by {@code request}; {@link
   * BulkQueryResult#retryFailed()} asks again for the keys not answered, with {@code request}'s
   * settings (concurrency, progress listener).
   *
   * @param request the request given to {@code bulkQuery}, or any request of the same kind (made by
   *     the same factory, {@code tokensOfAccounts} or {@code accountsOfTokens}: a {@code withKeys}
   *     copy, say)
   * @throws IllegalArgumentException when {@code request} is of the other kind
   */
  @SuppressWarnings("unchecked")
  public <K, V> BulkQueryResult<K, V> partialResult(BulkQueryRequest<K, V> request) {
    if (request == null || request.operatorType() != this.request.operatorType()) {
      throw new IllegalArgumentException(
          "pass a BulkQueryRequest of the kind that stopped ("
              + kind(this.request)
              + "), not "
              + (request == null ? "null" : kind(request)));
    }
    if (request == this.request) {
      return (BulkQueryResult<K, V>) partial;
    }
    List<K> keys = new ArrayList<>();
    for (Object k : partial.retryFailed().input()) {
      keys.add((K) k);
    }
    return BulkQueryResult.of(
        partial.keysAnswered(),
        partial.keysWithoutBindings(),
        partial.bindingsFound(),
        partial.failures(),
        partial.errors(),
        partial.callsFailed(),
        partial.calls(),
        request.withKeys(keys));
  }

  private static String kind(BulkQueryRequest<?, ?> r) {
    return r.operatorType() == 1 ? "tokensOfAccounts" : "accountsOfTokens";
  }
}
