package io.github.tpns4j;

import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;

/** What a bulk run needs from the client. */
interface BulkTransport {
  /**
   * Sends one call with the client's retry policy within the run's {@code budget}, except that rate
   * limiting (1008028, HTTP 429) is not retried per call: the run slows down as a whole instead.
   */
  CallRunner.AsyncCall<BatchOperateResult> send(BatchOperateRequest request, RetryBudget budget);

  /** Sends one query like {@link #send(BatchOperateRequest, RetryBudget)}. */
  CallRunner.AsyncCall<AccountQueryResult> send(AccountQueryRequest request, RetryBudget budget);

  /**
   * When {@code failure} is a rate limit the client's policy would retry after {@code retries}
   * earlier retries: how long to wait first, in nanoseconds. Otherwise -1: the failure is final.
   */
  long rateLimitDelayNanos(TpnsException failure, int retries);

  boolean isClosed();

  /** Runs {@code wake} when the client closes; returns what unregisters it. */
  Runnable onClose(Runnable wake);

  /** Where the run reports its slow-downs and calls. */
  Events events();
}
