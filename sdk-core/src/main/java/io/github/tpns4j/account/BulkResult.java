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
  private final long itemsSucceeded;
  private final List<ItemResult> failures;
  private final List<TpnsException> errors;
  private final int calls;
  private final BulkRequest retry;

  private BulkResult(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      int calls,
      BulkRequest retry) {
    this.itemsSucceeded = itemsSucceeded;
    this.failures = failures;
    this.errors = errors;
    this.calls = calls;
    this.retry = retry;
  }

  /**
   * A bulk outcome; this is what the client builds, public so that tests of code that consumes
   * results (or resumes stopped runs) can build them. The lists are copied.
   *
   * @param retryFailed the request {@link #retryFailed()} returns: the same operation over exactly
   *     the items of {@code failures}, in the same order
   * @throws TpnsValidationException when a list or the request is null, or a count is negative
   */
  public static BulkResult of(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      int calls,
      BulkRequest retryFailed) {
    if (failures == null || errors == null || retryFailed == null) {
      throw new TpnsValidationException("failures, errors and retryFailed must not be null");
    }
    if (itemsSucceeded < 0 || calls < 0) {
      throw new TpnsValidationException(
          "itemsSucceeded (" + itemsSucceeded + ") and calls (" + calls + ") must be >= 0");
    }
    return new BulkResult(
        itemsSucceeded,
        Collections.unmodifiableList(new ArrayList<>(failures)),
        Collections.unmodifiableList(new ArrayList<>(errors)),
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

  /** The calls that failed as a whole, after the client's retries, in completion order. */
  public List<TpnsException> errors() {
    return errors;
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
    return failures.isEmpty() && errors.isEmpty();
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
        + ", errors="
        + errors.size()
        + ", calls="
        + calls
        + "}";
  }
}
