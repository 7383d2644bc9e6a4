package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Optional;

/**
 * Any number of items for one batch operation, sent by {@code TpnsClient.bulkOperate} in calls of
 * at most {@value BatchOperateRequest#MAX_ITEMS_PER_CALL}, several at once. Immutable: {@link
 * #concurrency} and {@link #onProgress} return new requests.
 *
 * <p>The input is iterated once, lazily: items are read only as far ahead as the calls in flight
 * need, so a stream over a database cursor or a CSV file keeps memory bounded by the calls in
 * flight (plus a compact record per failed item). Each chunk is validated before it is sent. A run
 * that cannot go on (an invalid item, an input that throws, a listener that throws, the client
 * closed, credentials refused, an outage) stops with {@code TpnsBulkStoppedException}: its {@code
 * inputIndex()} and {@code partialResult()} say exactly what is left, so a stopped run resumes with
 * {@code partialResult().retryFailed()} plus the input from {@code inputIndex()} on.
 *
 * <p>Items are not deduplicated: an item repeated in the input is sent once per occurrence, in
 * different calls (a token never appears twice in one call). The items of one token (for {@link
 * #deleteAllForAccounts}, one account) are written one at a time, in input order: no two calls in
 * flight share a token, and a row waits until the call of the row before it has ended. So the last
 * row of a token is the one that holds, at any concurrency. Rows held back for a busy token are at
 * most 20 per call in flight; an input made mostly of one token runs one call at a time.
 */
public final class BulkRequest {
  /** The most calls in flight a bulk run may ask for. */
  public static final int MAX_CONCURRENCY = 64;

  static final int DEFAULT_CONCURRENCY = 4;

  final BatchOperation operation;
  final Iterable<?> items;
  final int concurrency;
  final BulkProgressListener listener;

  private BulkRequest(
      BatchOperation operation, Iterable<?> items, int concurrency, BulkProgressListener listener) {
    this.operation = operation;
    this.items = items;
    this.concurrency = concurrency;
    this.listener = listener;
  }

  private static BulkRequest of(BatchOperation operation, Iterable<?> items, String field) {
    if (items == null) {
      throw new TpnsValidationException(
          field + " is null; pass an Iterable (an empty one sends nothing)");
    }
    return new BulkRequest(operation, items, DEFAULT_CONCURRENCY, null);
  }

  /**
   * Overwrite (operation 2) for every entry; see {@link
   * BatchOperateRequest#overwrite(TokenAccounts...)}.
   */
  public static BulkRequest overwrite(Iterable<TokenAccounts> entries) {
    return of(BatchOperation.OVERWRITE, entries, "entries");
  }

  /** Remove the listed accounts from each token (operation 3), for every entry. */
  public static BulkRequest deleteAccounts(Iterable<TokenAccounts> entries) {
    return of(BatchOperation.DELETE_ACCOUNTS, entries, "entries");
  }

  /** Remove every account of each token (operation 4). */
  public static BulkRequest deleteAllForTokens(Iterable<String> tokens) {
    return of(BatchOperation.DELETE_ALL_FOR_TOKENS, tokens, "tokens");
  }

  /** Remove every token binding of each account (operation 5); items are keyed by account name. */
  public static BulkRequest deleteAllForAccounts(Iterable<Account> accounts) {
    return of(BatchOperation.DELETE_ALL_FOR_ACCOUNTS, accounts, "accounts");
  }

  /**
   * The same request with at most {@code maxCallsInFlight} calls in flight, 1 to {@value
   * #MAX_CONCURRENCY}. Default 4. When TPNS rate limits the run, fewer calls are sent at once until
   * calls succeed again. The calls run as blocking calls on the OkHttp client's dispatcher executor
   * (its {@code maxRequestsPerHost} does not apply); the run keeps as many calls again ready beside
   * them, so it reads the input up to twice this many calls ahead of the answers.
   *
   * @throws TpnsValidationException when out of range
   */
  public BulkRequest concurrency(int maxCallsInFlight) {
    if (maxCallsInFlight < 1 || maxCallsInFlight > MAX_CONCURRENCY) {
      throw new TpnsValidationException(
          "concurrency is " + maxCallsInFlight + "; it must be 1 to " + MAX_CONCURRENCY);
    }
    return new BulkRequest(operation, items, maxCallsInFlight, listener);
  }

  /** The same request, reporting progress to {@code listener} after each call. */
  public BulkRequest onProgress(BulkProgressListener listener) {
    if (listener == null) {
      throw new TpnsValidationException("listener is null");
    }
    return new BulkRequest(operation, items, concurrency, listener);
  }

  /** The operation every chunk runs. */
  public BatchOperation operation() {
    return operation;
  }

  /** The most calls in flight at once. */
  public int maxCallsInFlight() {
    return concurrency;
  }

  /**
   * The input as given: {@link TokenAccounts} for {@link BatchOperation#OVERWRITE} and {@link
   * BatchOperation#DELETE_ACCOUNTS}, {@code String} tokens for {@link
   * BatchOperation#DELETE_ALL_FOR_TOKENS}, {@link Account}s for {@link
   * BatchOperation#DELETE_ALL_FOR_ACCOUNTS}. A run iterates it once.
   */
  public Iterable<?> input() {
    return items;
  }

  /** The progress listener set with {@link #onProgress}, if any. */
  public Optional<BulkProgressListener> progressListener() {
    return Optional.ofNullable(listener);
  }

  @Override
  public String toString() {
    return "BulkRequest{operation=" + operation + ", concurrency=" + concurrency + "}";
  }
}
