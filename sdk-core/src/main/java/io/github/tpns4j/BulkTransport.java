package io.github.tpns4j;

import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;

/** What a bulk run needs from the client. */
interface BulkTransport {
  /**
   * One call, not started, for {@code lane}'s workers: with the client's retry policy within the
   * run's {@code budget}, except that rate limiting (1008028, HTTP 429) is not retried per call:
   * the call ends, and the run pauses and sends it again ({@link LogicalCall#resendAfterNanos()}).
   *
   * @param history the chunk's record, kept across resends
   */
  CallRunner.AsyncCall<BatchOperateResult> call(
      BatchOperateRequest request, RetryBudget budget, RetryPolicy.History history, Lane lane);

  /** One query, like {@link #call(BatchOperateRequest, RetryBudget, RetryPolicy.History, Lane)}. */
  CallRunner.AsyncCall<QueryAnswer> call(
      AccountQueryRequest request, RetryBudget budget, RetryPolicy.History history, Lane lane);

  /** Where a run's workers run: the OkHttp client's executor. */
  java.util.concurrent.Executor executor();

  boolean isClosed();

  /** Runs {@code wake} when the client closes; returns what unregisters it. */
  Runnable onClose(Runnable wake);

  /** Where the run reports its slow-downs and calls. */
  Events events();
}
