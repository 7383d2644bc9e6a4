package io.github.tpns4j;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BulkQueryHandler;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * {@code bulkQuery}: queries of up to 20 keys; each answered key goes to the caller's handler on
 * the run's thread. A key TPNS does not know ({@code 10110008}, per item or for the whole call) is
 * an answer with no bindings.
 */
final class QueryJob<K, V> extends BulkJob<AccountQueryResult> {
  static final String NOT_FOUND = "10110008";

  private final BulkQueryRequest<K, V> request;
  private final BulkQueryHandler<K, V> handler;
  private long keysAnswered;
  private long keysWithoutBindings;
  private long bindingsFound;

  QueryJob(BulkQueryRequest<K, V> request, BulkQueryHandler<K, V> handler) {
    super(request.input(), request.maxCallsInFlight(), request.progressListener().orElse(null));
    this.request = request;
    this.handler = handler;
  }

  private boolean byAccount() {
    return request.operatorType() == 1;
  }

  @Override
  Object key(Object item, String at) {
    if (byAccount()) {
      if (item instanceof Account) {
        return ((Account) item).account(); // one name per query, whatever its type
      }
      throw BulkInput.wrongType(at, item, "Account");
    }
    if (item instanceof String) {
      return item;
    }
    throw BulkInput.wrongType(at, item, "String token");
  }

  @Override
  @SuppressWarnings("unchecked")
  Object call(List<Object> items) {
    Collection<?> raw = items;
    return byAccount()
        ? AccountQueryRequest.tokensOfAccounts((Collection<Account>) raw)
        : AccountQueryRequest.accountsOfTokens((Collection<String>) raw);
  }

  @Override
  CallRunner.AsyncCall<AccountQueryResult> send(
      BulkTransport transport, Object call, RetryBudget budget) {
    return transport.send((AccountQueryRequest) call, budget);
  }

  @Override
  int answered(BulkInput.Chunk chunk, AccountQueryResult answer, BulkTally tally)
      throws HandlerFailed {
    List<ItemResult> codes = answer.items();
    int succeeded = 0;
    for (int i = 0; i < chunk.items.length; i++) {
      String code = codes.get(i).code();
      if (codes.get(i).isSuccess() || NOT_FOUND.equals(code)) {
        List<?> bound =
            NOT_FOUND.equals(code)
                ? Collections.emptyList()
                : byAccount()
                    ? answer.tokensByAccount().get(codes.get(i).key())
                    : answer.accountsByToken().get(codes.get(i).key());
        deliver(chunk, i, bound == null ? Collections.emptyList() : bound, tally, succeeded);
        succeeded++;
      } else {
        tally.failed(chunk.indexes[i], chunk.items[i], code);
      }
    }
    tally.answered(chunk, succeeded);
    return succeeded;
  }

  @Override
  boolean isAnswer(TpnsApiException failure) {
    return failure.retCode() == ResultCode.NOT_FOUND.code();
  }

  @Override
  int answeredByFailure(BulkInput.Chunk chunk, TpnsException failure, BulkTally tally)
      throws HandlerFailed {
    for (int i = 0; i < chunk.items.length; i++) {
      deliver(chunk, i, Collections.emptyList(), tally, i);
    }
    tally.answered(chunk, chunk.items.length);
    return chunk.items.length;
  }

  /** Hands item {@code i} to the handler; when it throws, accounts it and the rest unanswered. */
  @SuppressWarnings("unchecked")
  private void deliver(BulkInput.Chunk chunk, int i, List<?> bound, BulkTally tally, int succeeded)
      throws HandlerFailed {
    try {
      handler.onAnswer((K) chunk.items[i], (List<V>) bound);
    } catch (Throwable t) {
      for (int j = i; j < chunk.items.length; j++) {
        tally.failed(chunk.indexes[j], chunk.items[j], null);
      }
      tally.answered(chunk, succeeded);
      throw new HandlerFailed(t, succeeded);
    }
    keysAnswered++;
    bindingsFound += bound.size();
    if (bound.isEmpty()) {
      keysWithoutBindings++;
    }
  }

  @Override
  String resumeHint() {
    return "partialResult(request).retryFailed()";
  }

  @Override
  BulkQueryResult<K, V> result(BulkTally tally) {
    List<ItemResult> failures = new ArrayList<>(tally.failedCount());
    List<K> keys = new ArrayList<>(tally.failedCount());
    tally.eachFailure(
        (item, code) -> {
          failures.add(BulkTally.itemResult(item, code));
          @SuppressWarnings("unchecked")
          K key = (K) item;
          keys.add(key);
        });
    return BulkQueryResult.of(
        keysAnswered,
        keysWithoutBindings,
        bindingsFound,
        failures,
        tally.errors(),
        tally.callsFailed(),
        tally.callsSent(),
        request.withKeys(Collections.unmodifiableList(keys)));
  }

  @Override
  TpnsBulkRunStoppedException stopped(
      String message, Throwable cause, long inputIndex, Object partial) {
    return new TpnsBulkQueryStoppedException(
        message, cause, inputIndex, request, (BulkQueryResult<?, ?>) partial);
  }
}
