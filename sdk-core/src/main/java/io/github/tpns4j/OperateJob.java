package io.github.tpns4j;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BatchOperation;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.Collection;
import java.util.List;

/** {@code bulkOperate}: batch operations of up to 20 items, counted by their per-item codes. */
final class OperateJob extends BulkJob<BatchOperateResult> {
  private final BulkRequest request;

  OperateJob(BulkRequest request) {
    super(request.input(), request.maxCallsInFlight(), request.progressListener().orElse(null));
    this.request = request;
  }

  @Override
  Object key(Object item, long index) {
    switch (request.operation()) {
      case DELETE_ALL_FOR_TOKENS:
        if (item instanceof String) {
          return item;
        }
        throw BulkInput.wrongType(index, item, "String token");
      case DELETE_ALL_FOR_ACCOUNTS:
        if (item instanceof Account) {
          return item;
        }
        throw BulkInput.wrongType(index, item, "Account");
      default:
        if (item instanceof TokenAccounts) {
          return ((TokenAccounts) item).token();
        }
        throw BulkInput.wrongType(index, item, "TokenAccounts");
    }
  }

  @Override
  Object call(List<Object> items) {
    return request(request.operation(), items);
  }

  @SuppressWarnings({"unchecked", "deprecation"})
  static BatchOperateRequest request(BatchOperation operation, Collection<?> items) {
    Collection<?> raw = items;
    switch (operation) {
      case DELETE_ALL_FOR_TOKENS:
        return BatchOperateRequest.deleteAllForTokens((Collection<String>) raw);
      case DELETE_ALL_FOR_ACCOUNTS:
        return BatchOperateRequest.deleteAllForAccounts((Collection<Account>) raw);
      case DELETE_ACCOUNTS:
        return BatchOperateRequest.deleteAccounts((Collection<TokenAccounts>) raw);
      default:
        return BatchOperateRequest.overwrite((Collection<TokenAccounts>) raw);
    }
  }

  /** One write per key at a time, in input order: the last row of a token wins. */
  @Override
  boolean orderedPerKey() {
    return true;
  }

  @Override
  CallRunner.AsyncCall<BatchOperateResult> call(
      BulkTransport transport,
      Object call,
      RetryBudget budget,
      RetryPolicy.History history,
      Lane lane) {
    return transport.call((BatchOperateRequest) call, budget, history, lane);
  }

  @Override
  int answered(BulkInput.Chunk chunk, BatchOperateResult answer, BulkTally tally, Again again) {
    return tally.answered(chunk, answer);
  }

  @Override
  BulkResult result(BulkTally tally) {
    return tally.result(request);
  }

  @Override
  TpnsBulkRunStoppedException stopped(
      String message, Throwable cause, long inputIndex, Object partial) {
    return new TpnsBulkStoppedException(message, cause, inputIndex, (BulkResult) partial);
  }
}
