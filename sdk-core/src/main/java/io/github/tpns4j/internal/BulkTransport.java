package io.github.tpns4j.internal;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import java.util.concurrent.CompletableFuture;

/** Not API. What a bulk run needs from the client: async calls and the client's retry settings. */
public interface BulkTransport {
  /**
   * Sends one call with the client's retry policy, except that rate limiting (1008028, HTTP 429) is
   * not retried per call: the bulk run slows down as a whole instead.
   */
  CompletableFuture<BatchOperateResult> send(BatchOperateRequest request);

  /** The client's {@code maxRetries}. */
  int maxRetries();

  /** Whether the client was closed: a bulk run then stops sending. */
  boolean isClosed();

  /** The client's backoff before retry number {@code attempt + 1}, with jitter, in nanoseconds. */
  long backoffNanos(int attempt);
}
