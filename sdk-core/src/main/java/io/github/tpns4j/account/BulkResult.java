package io.github.tpns4j.account;

import io.github.tpns4j.TpnsException;
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

  BulkResult(
      long itemsSucceeded,
      List<ItemResult> failures,
      List<TpnsException> errors,
      int calls,
      BulkRequest retry) {
    this.itemsSucceeded = itemsSucceeded;
    this.failures = Collections.unmodifiableList(failures);
    this.errors = Collections.unmodifiableList(errors);
    this.calls = calls;
    this.retry = retry;
  }

  /** Items whose call succeeded for them. */
  public long itemsSucceeded() {
    return itemsSucceeded;
  }

  /**
   * Every item not known to have succeeded, in input order, keyed by token (or account name for
   * operation 5): per-item failures with the server's code; items of calls that failed as a whole
   * with that call's {@code ret_code}, or a null code when the call got no TPNS answer.
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
