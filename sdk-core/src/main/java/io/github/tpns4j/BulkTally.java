package io.github.tpns4j;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Counts a bulk run's outcomes and keeps a compact record per item not known to have succeeded (its
 * position, the input item, its code), from which the {@link BulkResult} is built. Used by the
 * run's thread only.
 */
final class BulkTally {
  /** Whole-call failures in a row after which a run stops: an outage, or every call refused. */
  static final int MAX_WHOLE_FAILURES_IN_A_ROW = 16;

  private static final class Failed {
    final long index;
    final Object item;
    final String code;

    Failed(long index, Object item, String code) {
      this.index = index;
      this.item = item;
      this.code = code;
    }
  }

  private final List<Failed> failed = new ArrayList<>();
  private final List<TpnsException> errors = new ArrayList<>();
  private long callsFailed;
  private long itemsSucceeded;
  private long itemsDone;
  private long callsDone;
  private int callsSent;
  private int wholeFailuresInARow;

  long itemsDone() {
    return itemsDone;
  }

  long callsDone() {
    return callsDone;
  }

  void sent() {
    callsSent++;
  }

  /** A call counted by {@link #sent()} was taken back before any worker sent it. */
  void neverSent() {
    callsSent--;
  }

  /** A call answered: its items by their per-item codes. Returns how many succeeded. */
  int answered(BulkInput.Chunk chunk, BatchOperateResult result) {
    List<ItemResult> items = result.items();
    int succeeded = 0;
    for (int i = 0; i < items.size(); i++) {
      ItemResult item = items.get(i);
      if (item.isSuccess()) {
        succeeded++;
      } else {
        failed(chunk.indexes[i], chunk.items[i], item.code());
      }
    }
    answered(chunk.items.length, succeeded);
    return succeeded;
  }

  /**
   * A call answered, settling {@code settled} of its items (the others are asked for again), of
   * which {@code succeeded} succeeded; the rest were passed to {@link #failed}.
   */
  void answered(int settled, int succeeded) {
    itemsSucceeded += succeeded;
    wholeFailuresInARow = 0;
    itemsDone += settled;
    callsDone++;
  }

  /** An item that failed with {@code code} in an answered call. */
  void failed(long index, Object item, String code) {
    failed.add(new Failed(index, item, code));
  }

  /**
   * A call failed as a whole after its retries: every item fails with its {@code ret_code}, or a
   * null code without a TPNS answer. True when that makes {@value #MAX_WHOLE_FAILURES_IN_A_ROW} in
   * a row.
   */
  boolean failedWhole(BulkInput.Chunk chunk, TpnsException e) {
    if (errors.size() < BulkResult.MAX_ERRORS_KEPT) {
      errors.add(e);
    }
    callsFailed++;
    String code = e instanceof TpnsApiException ? codeText(((TpnsApiException) e).retCode()) : null;
    addAll(chunk, code);
    itemsDone += chunk.items.length;
    callsDone++;
    return ++wholeFailuresInARow >= MAX_WHOLE_FAILURES_IN_A_ROW;
  }

  /** A call that was cancelled or never answered (the run stopped): its items, code null. */
  void unanswered(BulkInput.Chunk chunk) {
    addAll(chunk, null);
  }

  /** An item read but never sent (the run stopped). */
  void unsent(Object item, long index) {
    failed.add(new Failed(index, item, null));
  }

  /** Items succeeded so far. */
  long itemsSucceeded() {
    return itemsSucceeded;
  }

  long callsFailed() {
    return callsFailed;
  }

  /** Items not known to have succeeded, so far. */
  int failedCount() {
    return failed.size();
  }

  int callsSent() {
    return callsSent;
  }

  List<TpnsException> errors() {
    return errors;
  }

  /** Gives each item not known to have succeeded, in input order, with its code. */
  void eachFailure(FailureSink sink) {
    failed.sort(Comparator.comparingLong(f -> f.index));
    for (Failed f : failed) {
      sink.add(f.item, f.code);
    }
  }

  interface FailureSink {
    void add(Object item, String code);
  }

  private void addAll(BulkInput.Chunk chunk, String code) {
    for (int i = 0; i < chunk.items.length; i++) {
      failed.add(new Failed(chunk.indexes[i], chunk.items[i], code));
    }
  }

  private static String codeText(int retCode) {
    return Integer.toString(retCode);
  }

  /** The result so far: failures in input order, retryFailed over exactly their items. */
  BulkResult result(BulkRequest request) {
    failed.sort(Comparator.comparingLong(f -> f.index));
    List<ItemResult> results = new ArrayList<>(failed.size());
    List<Object> items = new ArrayList<>(failed.size());
    for (Failed f : failed) {
      results.add(itemResult(f.item, f.code));
      items.add(f.item);
    }
    return BulkResult.of(
        itemsSucceeded,
        results,
        errors,
        callsFailed,
        callsSent,
        retryRequest(request, Collections.unmodifiableList(items)));
  }

  /**
   * The same operation and settings as {@code request} over {@code items}, built through the public
   * factories. The items were read from {@code request}'s own typed input, so the casts hold.
   */
  @SuppressWarnings("unchecked")
  static BulkRequest retryRequest(BulkRequest request, List<?> items) {
    BulkRequest r;
    switch (request.operation()) {
      case DELETE_ACCOUNTS:
        r = BulkRequest.deleteAccounts((List<TokenAccounts>) items);
        break;
      case DELETE_ALL_FOR_TOKENS:
        r = BulkRequest.deleteAllForTokens((List<String>) items);
        break;
      case DELETE_ALL_FOR_ACCOUNTS:
        r = BulkRequest.deleteAllForAccounts((List<Account>) items);
        break;
      default:
        r = BulkRequest.overwrite((List<TokenAccounts>) items);
    }
    r = r.concurrency(request.maxCallsInFlight());
    return request.progressListener().isPresent()
        ? r.onProgress(request.progressListener().get())
        : r;
  }

  static ItemResult itemResult(Object item, String code) {
    if (item instanceof Account) {
      return ItemResult.of((Account) item, code);
    }
    if (item instanceof TokenAccounts) {
      return ItemResult.of(((TokenAccounts) item).token(), code);
    }
    return ItemResult.of((String) item, code);
  }
}
