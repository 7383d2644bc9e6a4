package io.github.tpns4j.account;

/**
 * Told after each call of a bulk run completes (successfully or not). Called on the thread that
 * called {@code bulkOperate} (or {@code bulkQuery}), one call at a time, outside any lock, with
 * counts that only grow; it should be quick, since the run sends nothing while it runs. Whatever it
 * throws (an {@code Error} too) stops the run: it throws {@code TpnsBulkStoppedException} with it
 * as the cause, after the calls in flight finish.
 */
@FunctionalInterface
public interface BulkProgressListener {
  /**
   * @param itemsDone input items whose call has completed, succeeded or failed
   * @param callsDone calls completed so far
   */
  void onProgress(long itemsDone, long callsDone);
}
