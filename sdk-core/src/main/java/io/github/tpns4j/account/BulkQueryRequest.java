package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Optional;

/**
 * Any number of keys to look up, sent by {@code TpnsClient.bulkQuery} in calls of at most {@value
 * BatchOperateRequest#MAX_ITEMS_PER_CALL}, several at once: the tokens of each account ({@link
 * #tokensOfAccounts}) or the accounts of each token ({@link #accountsOfTokens}). Immutable: {@link
 * #concurrency}, {@link #onProgress} and {@link #withKeys} return new requests.
 *
 * <p>The input is iterated once, lazily, as in {@link BulkRequest}: memory stays bounded by the
 * calls in flight (plus a compact record per key that failed), whatever the number of keys. Each
 * answer is handed to the caller's {@link BulkQueryHandler} as it arrives and then forgotten. A
 * stopped run resumes exactly like a stopped {@code bulkOperate}: see {@code
 * TpnsBulkQueryStoppedException}.
 *
 * <p>Keys are not deduplicated: a key repeated in the input is asked about, and handed to the
 * handler, once per occurrence (never twice in one call). With concurrency above 1, answers arrive
 * in no guaranteed order.
 *
 * @param <K> the key asked about: {@link Account} or {@code String} token
 * @param <V> what is bound to it: {@code String} tokens or {@link Account}s
 */
public final class BulkQueryRequest<K, V> {
  private final int operatorType;
  private final Iterable<K> keys;
  private final int concurrency;
  private final BulkProgressListener listener;

  private BulkQueryRequest(
      int operatorType, Iterable<K> keys, int concurrency, BulkProgressListener listener) {
    this.operatorType = operatorType;
    this.keys = keys;
    this.concurrency = concurrency;
    this.listener = listener;
  }

  private static <K, V> BulkQueryRequest<K, V> of(int operatorType, Iterable<K> keys, String what) {
    if (keys == null) {
      throw new TpnsValidationException(
          what + " is null; pass an Iterable (an empty one sends nothing)");
    }
    return new BulkQueryRequest<>(operatorType, keys, BulkRequest.DEFAULT_CONCURRENCY, null);
  }

  /**
   * The tokens bound to each account ({@code operator_type} 1): the handler gets each account and
   * its tokens. An account's {@code account_type} is sent as given; an account name appears at most
   * once per call (a repeated name starts the next call).
   */
  public static BulkQueryRequest<Account, String> tokensOfAccounts(Iterable<Account> accounts) {
    return of(1, accounts, "accounts");
  }

  /**
   * The accounts bound to each token ({@code operator_type} 2): the handler gets each token and its
   * accounts, each with the {@code account_type} TPNS answered (0 when it sent none).
   */
  public static BulkQueryRequest<String, Account> accountsOfTokens(Iterable<String> tokens) {
    return of(2, tokens, "tokens");
  }

  /**
   * The same request with at most {@code maxCallsInFlight} calls in flight, 1 to {@value
   * BulkRequest#MAX_CONCURRENCY}. Default 4. Rate limiting slows the run down as for {@link
   * BulkRequest#concurrency}.
   *
   * @throws TpnsValidationException when out of range
   */
  public BulkQueryRequest<K, V> concurrency(int maxCallsInFlight) {
    if (maxCallsInFlight < 1 || maxCallsInFlight > BulkRequest.MAX_CONCURRENCY) {
      throw new TpnsValidationException(
          "concurrency is "
              + maxCallsInFlight
              + "; it must be 1 to "
              + BulkRequest.MAX_CONCURRENCY);
    }
    return new BulkQueryRequest<>(operatorType, keys, maxCallsInFlight, listener);
  }

  /** The same request, reporting progress to {@code listener} after each call. */
  public BulkQueryRequest<K, V> onProgress(BulkProgressListener listener) {
    if (listener == null) {
      throw new TpnsValidationException("listener is null");
    }
    return new BulkQueryRequest<>(operatorType, keys, concurrency, listener);
  }

  /**
   * The same query and settings over other keys: how a stopped run's rest is asked for, e.g. the
   * input from {@code inputIndex()} on.
   */
  public BulkQueryRequest<K, V> withKeys(Iterable<K> keys) {
    if (keys == null) {
      throw new TpnsValidationException("keys is null");
    }
    return new BulkQueryRequest<>(operatorType, keys, concurrency, listener);
  }

  /** 1 for {@link #tokensOfAccounts}, 2 for {@link #accountsOfTokens}. */
  public int operatorType() {
    return operatorType;
  }

  /** The keys as given; a run iterates them once. */
  public Iterable<K> input() {
    return keys;
  }

  /** The most calls in flight at once. */
  public int maxCallsInFlight() {
    return concurrency;
  }

  /** The progress listener set with {@link #onProgress}, if any. */
  public Optional<BulkProgressListener> progressListener() {
    return Optional.ofNullable(listener);
  }

  @Override
  public String toString() {
    return "BulkQueryRequest{"
        + (operatorType == 1 ? "tokensOfAccounts" : "accountsOfTokens")
        + ", concurrency="
        + concurrency
        + "}";
  }
}
