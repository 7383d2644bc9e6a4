package io.github.tpns4j.internal;

import io.github.tpns4j.TpnsException;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import java.util.concurrent.CompletableFuture;

/**
 * Not API. What a bulk run needs from the client: async calls and its retry policy for rate limits.
 */
public interface BulkTransport {
  /**
   * Sends one call with the client's retry policy, except that rate limiting (1008028, HTTP 429) is
   * not retried per call: the bulk run slows down as a whole instead.
   */
  CompletableFuture<BatchOperateResult> send(BatchOperateRequest request);

  /** Whether the client was closed: a bulk run then stops sending. */
  boolean isClosed();

  /**
   * When {@code failure} is a rate limit that the client's policy would retry after {@code retries}
   * earlier retries: how long to wait first, in nanoseconds ({@code Retry-After} of up to 60 s, or
   * the backoff). Otherwise -1: the failure is final.
   */
  long rateLimitDelayNanos(TpnsException failure, int retries);
}
