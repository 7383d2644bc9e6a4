package io.github.tpns4j.account;

/**
 * Told after each call of a bulk run completes (successfully or not). Called from the thread that
 * completed the call, one call at a time, with counts that only grow; it must be cheap and must not
 * block. A {@code RuntimeException} it throws is ignored, so a broken progress display cannot stop
 * a migration.
 */
@FunctionalInterface
public interface BulkProgressListener {
  /**
   * @param itemsDone input items whose call has completed, succeeded or failed
   * @param callsDone calls completed so far
   */
  void onProgress(long itemsDone, long callsDone);
}
