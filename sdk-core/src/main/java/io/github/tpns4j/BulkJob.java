package io.github.tpns4j;

import io.github.tpns4j.account.BulkProgressListener;
import java.util.List;

/**
 * What differs between kinds of bulk run ({@code bulkOperate}, {@code bulkQuery}): which items are
 * valid, what call a chunk makes, how an answer is counted, what the result and the stop look like.
 * {@link BulkRun}, {@link BulkInput} and {@link BulkTally} do the rest, the same for every kind.
 *
 * @param <R> the answer of one call
 */
abstract class BulkJob<R> {
  private final Iterable<?> input;
  private final int maxCallsInFlight;
  private final BulkProgressListener listener;

  BulkJob(Iterable<?> input, int maxCallsInFlight, BulkProgressListener listener) {
    this.input = input;
    this.maxCallsInFlight = maxCallsInFlight;
    this.listener = listener;
  }

  /** The input, iterated once. */
  final Iterable<?> input() {
    return input;
  }

  final int maxCallsInFlight() {
    return maxCallsInFlight;
  }

  /** Null when none. */
  final BulkProgressListener listener() {
    return listener;
  }

  /**
   * The item's key (no call carries one key twice).
   *
   * @throws TpnsValidationException when the item is of the wrong type; {@code index} is its
   *     position in the input, for the message
   */
  abstract Object key(Object item, long index);

  /**
   * The call that carries {@code items}.
   *
   * @throws TpnsValidationException when an item is invalid
   */
  abstract Object call(List<Object> items);

  /**
   * Whether no two calls in flight may share a key, and the items of one key go in input order (so
   * that the last item of a key is the one that holds): true for writes.
   */
  boolean orderedPerKey() {
    return false;
  }

  /** One call within the run's retry budget, with the chunk's history, for the lane's workers. */
  abstract CallRunner.AsyncCall<R> call(
      BulkTransport transport,
      Object call,
      RetryBudget budget,
      RetryPolicy.History history,
      Lane lane);

  /**
   * Whether the run hands answers to the caller's code while it runs (a query's handler): then no
   * call starts while that code runs.
   */
  boolean handsOverAnswers() {
    return false;
  }

  /** Where a job puts the items of an answered chunk to ask for again, each alone. */
  interface Again {
    void ask(BulkInput.Chunk chunk, int item);
  }

  /**
   * Counts an answered call into {@code tally} (every item of the chunk exactly once, or passed to
   * {@code again} to be asked for again) and returns how many items succeeded.
   *
   * @throws HandlerFailed when the caller's handler threw: the items from the one it threw on are
   *     counted as unanswered, and the run stops with the handler's exception
   */
  abstract int answered(BulkInput.Chunk chunk, R answer, BulkTally tally, Again again)
      throws HandlerFailed;

  /** Whether a call that failed with {@code failure} was answered (a query of keys not found). */
  boolean isAnswer(TpnsApiException failure) {
    return false;
  }

  /** Counts a call whose failure {@link #isAnswer} like {@link #answered}. */
  int answeredByFailure(BulkInput.Chunk chunk, TpnsException failure, BulkTally tally, Again again)
      throws HandlerFailed {
    throw new IllegalStateException("not an answer", failure);
  }

  /** How a stopped run's message tells to resume the items it did not finish. */
  String resumeHint() {
    return "partialResult().retryFailed()";
  }

  /** The run's result from what {@code tally} holds. */
  abstract Object result(BulkTally tally);

  /** The exception a stopped run throws, carrying {@code partial} from {@link #result}. */
  abstract TpnsBulkRunStoppedException stopped(
      String message, Throwable cause, long inputIndex, Object partial);

  /** The caller's handler threw {@link #getCause()}: the run stops with it. */
  static final class HandlerFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final int succeeded; // items of the chunk handled before it threw

    HandlerFailed(Throwable cause, int succeeded) {
      super(null, cause, false, false);
      this.succeeded = succeeded;
    }
  }
}
