package io.github.tpns4j.account;

import java.util.List;

/**
 * Takes the answers of a {@code bulkQuery}, one key at a time, as they arrive. Called on the thread
 * that called {@code bulkQuery}, never concurrently, outside any lock; nothing is sent while it
 * runs, so a slow handler slows the run (and never lets answers pile up in memory).
 *
 * <p>Whatever it throws (a checked exception too) stops the run: {@code bulkQuery} throws {@code
 * TpnsBulkQueryStoppedException} with it as the cause, and that key and every key not yet handed
 * over are in the partial result's failures, so resuming asks for them again. It is given nothing
 * more after it throws.
 *
 * @param <K> the key asked about
 * @param <V> what is bound to it
 */
@FunctionalInterface
public interface BulkQueryHandler<K, V> {
  /**
   * @param key the account or token asked about, as it was in the input
   * @param bound its tokens or accounts, unmodifiable; empty when it has none, including a key TPNS
   *     does not know ({@code 10110008})
   */
  void onAnswer(K key, List<V> bound) throws Exception;
}
