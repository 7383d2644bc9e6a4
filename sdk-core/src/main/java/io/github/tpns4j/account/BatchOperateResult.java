package io.github.tpns4j.account;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a batch operation that TPNS accepted as a whole ({@code ret_code} 0, or 1008026 /
 * 1008027 for a partial or total per-item failure), with one {@link ItemResult} per key of the
 * request, in request order.
 *
 * <p>TPNS runs bindings asynchronously: a success means the task was accepted, not that a query
 * already shows it.
 */
public final class BatchOperateResult {
  private final int retCode;
  private final String errMsg;
  private final List<String> rawResult;
  private final List<ItemResult> items;
  private final List<ItemResult> failures;

  private BatchOperateResult(
      int retCode, String errMsg, List<String> rawResult, List<ItemResult> items) {
    this.retCode = retCode;
    this.errMsg = errMsg;
    this.rawResult = rawResult;
    this.items = items;
    List<ItemResult> failed = new ArrayList<>(0);
    for (ItemResult item : items) {
      if (!item.isSuccess()) {
        failed.add(item);
      }
    }
    this.failures =
        failed.isEmpty()
            ? Collections.<ItemResult>emptyList()
            : Collections.unmodifiableList(failed);
  }

  /**
   * Pairs a server answer with the request it answers; this is what the client does, public so that
   * tests of code that consumes results can build them.
   *
   * <p>When {@code result} has one entry per key, they are paired in order. When {@code retCode} is
   * 0 and {@code result} has another length (TPNS's documented example answers {@code ["0"]} for
   * two tokens), every item is a success with code {@code "0"}. Otherwise items get a null code and
   * count as failures: an answer that cannot be attributed is never guessed.
   *
   * @param result the per-item codes as received; null is taken as empty
   */
  public static BatchOperateResult of(
      BatchOperateRequest request, int retCode, String errMsg, List<String> result) {
    List<String> raw = ItemResult.copyRaw(result);
    return new BatchOperateResult(
        retCode,
        errMsg == null ? "" : errMsg,
        raw,
        ItemResult.pair(request.keys(), request.accounts, raw, retCode));
  }

  /** The call's {@code ret_code}: 0, 1008026 (some items failed) or 1008027 (all failed). */
  public int retCode() {
    return retCode;
  }

  /** The call's {@code err_msg} as received, e.g. {@code "NO_ERROR"}; empty when absent. */
  public String errMsg() {
    return errMsg;
  }

  /** The server's {@code result} array as received; empty when absent. Unmodifiable. */
  public List<String> rawResult() {
    return rawResult;
  }

  /** One item per key of the request, in request order. Unmodifiable. */
  public List<ItemResult> items() {
    return items;
  }

  /** Whether every item succeeded. */
  public boolean isAllSuccess() {
    return failures.isEmpty();
  }

  /** The items that are not a success (including those with a null code), in request order. */
  public List<ItemResult> failures() {
    return failures;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BatchOperateResult)) {
      return false;
    }
    BatchOperateResult other = (BatchOperateResult) o;
    return retCode == other.retCode
        && errMsg.equals(other.errMsg)
        && rawResult.equals(other.rawResult)
        && items.equals(other.items);
  }

  @Override
  public int hashCode() {
    return Objects.hash(retCode, errMsg, rawResult, items);
  }

  @Override
  public String toString() {
    return "BatchOperateResult{retCode="
        + retCode
        + ", errMsg="
        + errMsg
        + ", items="
        + items.size()
        + ", failures="
        + failures
        + "}";
  }
}
