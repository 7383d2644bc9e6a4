package io.github.tpns4j.account;

import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of a bulk query: how many keys were answered (and handed to the handler), how many of
 * them have no binding, how many bindings were found, and every key not answered, as in {@link
 * BulkResult}.
 *
 * @param <K> the key asked about
 * @param <V> what is bound to it
 */
public final class BulkQueryResult<K, V> {
  private final long keysAnswered;
  private final long keysWithoutBindings;
  private final long bindingsFound;
  private final List<ItemResult> failures;
  private final List<TpnsException> errors;
  private final long callsFailed;
  private final int calls;
  private final BulkQueryRequest<K, V> retry;

  private BulkQueryResult(
      long keysAnswered,
      long keysWithoutBindings,
      long bindingsFound,
      List<ItemResult> failures,
      List<TpnsException> errors,
      long callsFailed,
      int calls,
      BulkQueryRequest<K, V> retry) {
    this.keysAnswered = keysAnswered;
    this.keysWithoutBindings = keysWithoutBindings;
    this.bindingsFound = bindingsFound;
    this.failures = failures;
    this.errors = errors;
    this.callsFailed = callsFailed;
    this.calls = calls;
    this.retry = retry;
  }

  /**
   * A bulk query's outcome; this is what the client builds, public so that tests of code that
   * consumes results (or resumes stopped runs) can build them. The lists are copied; of {@code
   * errors}, the first {@value BulkResult#MAX_ERRORS_KEPT} are kept.
   *
   * @param retryFailed the request {@link #retryFailed()} returns: the same query over exactly the
   *     keys of {@code failures}, in the same order
   * @throws TpnsValidationException when a list or the request is null, or a count is negative,
   *     smaller than the errors given, or more keys are without bindings than answered
   */
  public static <K, V> BulkQueryResult<K, V> of(
      long keysAnswered,
      long keysWithoutBindings,
      long bindingsFound,
      List<ItemResult> failures,
      List<TpnsException> errors,
      long callsFailed,
      int calls,
      BulkQueryRequest<K, V> retryFailed) {
    if (failures == null || errors == null || retryFailed == null) {
      throw new TpnsValidationException("failures, errors and retryFailed must not be null");
    }
    if (keysAnswered < 0
        || keysWithoutBindings < 0
        || keysWithoutBindings > keysAnswered
        || bindingsFound < 0
        || calls < 0
        || callsFailed < errors.size()) {
      throw new TpnsValidationException(
          "counts must be >= 0, keysWithoutBindings ("
              + keysWithoutBindings
              + ") <= keysAnswered ("
              + keysAnswered
              + "), and callsFailed ("
              + callsFailed
              + ") >= the "
              + errors.size()
              + " errors given");
    }
    List<TpnsException> kept =
        new ArrayList<>(errors.subList(0, Math.min(errors.size(), BulkResult.MAX_ERRORS_KEPT)));
    return new BulkQueryResult<>(
        keysAnswered,
        keysWithoutBindings,
        bindingsFound,
        Collections.unmodifiableList(new ArrayList<>(failures)),
        Collections.unmodifiableList(kept),
        callsFailed,
        calls,
        retryFailed);
  }

  /** Keys whose answer was handed to the handler, those without bindings included. */
  public long keysAnswered() {
    return keysAnswered;
  }

  /**
   * Keys answered with no binding: TPNS answered {@code "10110008"} (no such token or account) or
   * an empty list.
   */
  public long keysWithoutBindings() {
    return keysWithoutBindings;
  }

  /** Tokens (or accounts) handed to the handler, over all keys. */
  public long bindingsFound() {
    return bindingsFound;
  }

  /**
   * Every key not answered, in input order, with the per-item code TPNS gave, the {@code ret_code}
   * of a call that failed as a whole, or a null code (no TPNS answer; after a stop, keys read but
   * not sent, or whose call was cancelled, or that the handler threw on or never got). Keyed by
   * token, or by account name with {@link ItemResult#account()} telling the account.
   */
  public List<ItemResult> failures() {
    return failures;
  }

  /**
   * The first {@value BulkResult#MAX_ERRORS_KEPT} calls that failed as a whole, after their
   * retries; {@link #callsFailed()} counts them all.
   */
  public List<TpnsException> errors() {
    return errors;
  }

  /** How many calls failed as a whole, after their retries. */
  public long callsFailed() {
    return callsFailed;
  }

  /** How many calls were sent; a call sent again after rate limiting counts once. */
  public int calls() {
    return calls;
  }

  /** Whether every key was answered. */
  public boolean isAllSuccess() {
    return failures.isEmpty() && callsFailed == 0;
  }

  /**
   * The same query and settings over exactly the keys not answered, in input order; an empty one
   * when all were.
   */
  public BulkQueryRequest<K, V> retryFailed() {
    return retry;
  }

  @Override
  public String toString() {
    return "BulkQueryResult{keysAnswered="
        + keysAnswered
        + ", keysWithoutBindings="
        + keysWithoutBindings
        + ", bindingsFound="
        + bindingsFound
        + ", failures="
        + failures.size()
        + ", callsFailed="
        + callsFailed
        + ", calls="
        + calls
        + "}";
  }
}
