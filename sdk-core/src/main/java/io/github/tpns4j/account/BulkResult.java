package io.github.tpns4j.account;

import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of a bulk run: how many items succeeded, every item not known to have succeeded (with
 * its per-item code, the {@code ret_code} of a call that failed as a whole, or null when unknown),
 * and the exceptions of calls that failed as a whole after retries.
 */
public final class BulkResult {
  /**
   * How many whole-call failures {@link #errors()} keeps; {@link #callsFailed()} counts them all.
   */
  public static final int MAX_ERRORS_KEPT = 100;

  private final long itemsSucceeded;
  private final List<ItemResult> failures;
  private final List<TpnsException> errors;
  private final long callsFailed;
  private final int calls;
  private final BulkRequest retry;

  private BulkResult(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      long callsFailed,
      int calls,
      BulkRequest retry) {
    this.itemsSucceeded = itemsSucceeded;
    this.failures = failures;
    this.errors = errors;
    this.callsFailed = callsFailed;
    this.calls = calls;
    this.retry = retry;
  }

  /**
   * A bulk outcome in which every whole-call failure is in {@code errors}; see {@link #of(long,
   * List, List, long, int, BulkRequest)}.
   */
  public static BulkResult of(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      int calls,
      BulkRequest retryFailed) {
    return of(
        itemsSucceeded, failures, errors, errors == null ? 0 : errors.size(), calls, retryFailed);
  }

  /**
   * A bulk outcome; this is what the client builds, public so that tests of code that consumes
   * results (or resumes stopped runs) can build them. The lists are copied; of {@code errors}, the
   * first {@value #MAX_ERRORS_KEPT} are kept.
   *
   * @param callsFailed how many calls failed as a whole; at least {@code errors.size()}
   * @param retryFailed the request {@link #retryFailed()} returns: the same operation over exactly
   *     the items of {@code failures}, in the same order
   * @throws TpnsValidationException when a list or the request is null, or a count is negative or
   *     smaller than the errors given
   */
  public static BulkResult of(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      long callsFailed,
      int calls,
      BulkRequest retryFailed) {
    if (failures == null || errors == null || retryFailed == null) {
      throw new TpnsValidationException("failures, errors and retryFailed must not be null");
    }
    if (itemsSucceeded < 0 || calls < 0 || callsFailed < errors.size()) {
      throw new TpnsValidationException(
          "itemsSucceeded ("
              + itemsSucceeded
              + ") and calls ("
              + calls
              + ") must be >= 0, and callsFailed ("
              + callsFailed
              + ") >= the "
              + errors.size()
              + " errors given");
    }
    List<TpnsException> kept =
        new ArrayList<>(errors.subList(0, Math.min(errors.size(), MAX_ERRORS_KEPT)));
    return new BulkResult(
        itemsSucceeded,
        Collections.unmodifiableList(new ArrayList<>(failures)),
        Collections.unmodifiableList(kept),
        callsFailed,
        calls,
        retryFailed);
  }

  /** Items whose call succeeded for them. */
  public long itemsSucceeded() {
    return itemsSucceeded;
  }

  /**
   * Every item not known to have succeeded, in input order, keyed by token (or account name for
   * operation 5, with {@link ItemResult#account()} telling the account): per-item failures with the
   * server's code; items of calls that failed as a whole with that call's {@code ret_code}, or a
   * null code when the call got no TPNS answer; after a stop, items read but not sent, or whose
   * call was cancelled, with a null code.
   */
  public List<ItemResult> failures() {
    return failures;
  }

  /**
   * The first {@value #MAX_ERRORS_KEPT} calls that failed as a whole, after their retries, in
   * completion order; {@link #callsFailed()} counts them all. A run under flaky conditions can fail
   * many calls without stopping, so the rest are counted, not kept: their items are in {@link
   * #failures()} with the call's {@code ret_code} (or a null code).
   */
  public List<TpnsException> errors() {
    return errors;
  }

  /** How many calls failed as a whole, after their retries; {@link #errors()} keeps the first. */
  public long callsFailed() {
    return callsFailed;
  }

  /**
   * How many calls (chunks of up to 20 items) were sent; a chunk retried after rate limiting counts
   * once.
   */
  public int calls() {
    return calls;
  }

  /** Whether every item succeeded. */
  public boolean isAllSuccess() {
    return failures.isEmpty() && callsFailed == 0;
  }

  /**
   * A request for the same operation and settings over exactly the input items that did not
   * succeed, in input order; an empty one when all succeeded. Items that failed for good (an
   * unregistered token, say) fail again: inspect {@link #failures()} first when that matters.
   */
  public BulkRequest retryFailed() {
    return retry;
  }

  @Override
  public String toString() {
    return "BulkResult{itemsSucceeded="
        + itemsSucceeded
        + ", failures="
        + failures.size()
        + ", callsFailed="
        + callsFailed
        + ", calls="
        + calls
        + "}";
  }
}
