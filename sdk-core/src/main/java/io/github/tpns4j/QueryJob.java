package io.github.tpns4j;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BulkQueryHandler;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * {@code bulkQuery}: queries of up to 20 keys; each answered key goes to the caller's handler on
 * the run's thread. A key TPNS does not know ({@code 10110008} for that key, or for a call of that
 * key alone) is an answer with no bindings; a key the answer leaves out is asked for again.
 */
final class QueryJob<K, V> extends BulkJob<QueryAnswer> {
  static final String NOT_FOUND = "10110008";

  private final BulkQueryRequest<K, V> request;
  private final BulkQueryHandler<K, V> handler;
  private long keysAnswered;
  private long keysWithoutBindings;
  private long bindingsFound;

  QueryJob(BulkQueryRequest<K, V> request, BulkQueryHandler<K, V> handler) {
    super(request.input(), request.maxCallsInFlight(), request.progressListener().orElse(null));
    this.request = request;
    this.handler = handler;
  }

  private boolean byAccount() {
    return request.operatorType() == 1;
  }

  @Override
  Object key(Object item, long index) {
    if (byAccount()) {
      if (item instanceof Account) {
        return ((Account) item).account(); // one name per query, whatever its type
      }
      throw BulkInput.wrongType(index, item, "Account");
    }
    if (item instanceof String) {
      return item;
    }
    throw BulkInput.wrongType(index, item, "String token");
  }

  @Override
  @SuppressWarnings("unchecked")
  Object call(List<Object> items) {
    Collection<?> raw = items;
    return byAccount()
        ? AccountQueryRequest.tokensOfAccounts((Collection<Account>) raw)
        : AccountQueryRequest.accountsOfTokens((Collection<String>) raw);
  }

  @Override
  boolean handsOverAnswers() {
    return true;
  }

  @Override
  CallRunner.AsyncCall<QueryAnswer> call(
      BulkTransport transport,
      Object call,
      RetryBudget budget,
      RetryPolicy.History history,
      Lane lane) {
    return transport.call((AccountQueryRequest) call, budget, history, lane);
  }

  /**
   * Hands each answered key to the handler. Nothing is guessed: a key the answer does not mention
   * though its code is a success is asked for again alone, and is a failure with the code {@link
   * ItemResult#NOT_IN_ANSWER} only when the answer to that leaves it out too.
   */
  @Override
  int answered(BulkInput.Chunk chunk, QueryAnswer answer, BulkTally tally, Again again)
      throws HandlerFailed {
    Delivery d = new Delivery(chunk, tally);
    for (int i = 0; i < chunk.items.length; i++) {
      String code = answer.codes[i];
      List<?> bound = answer.bound[i];
      switch (decide(code, bound, chunk.alone)) {
        case NO_BINDINGS:
          d.deliver(i, Collections.emptyList());
          break;
        case BINDINGS:
          d.deliver(i, bound);
          break;
        case ASK_AGAIN:
          again.ask(chunk, i);
          d.reasked++;
          break;
        case FAILED:
          tally.failed(chunk.indexes[i], chunk.items[i], code);
          break;
        default: // NOT_IN_ANSWER
          tally.failed(chunk.indexes[i], chunk.items[i], ItemResult.NOT_IN_ANSWER);
      }
    }
    tally.answered(chunk.items.length - d.reasked, d.succeeded);
    return d.succeeded;
  }

  /** What {@link #answered} does with one key. */
  enum Decision {
    /** Hand the handler an empty list: TPNS knows no such key. */
    NO_BINDINGS,
    /** Hand the handler the key's bindings. */
    BINDINGS,
    /** Ask for the key again, alone. */
    ASK_AGAIN,
    /** A failure with the key's code, as TPNS sent it. */
    FAILED,
    /** A failure with the code {@link ItemResult#NOT_IN_ANSWER}. */
    NOT_IN_ANSWER
  }

  /**
   * A key's fate from its code and bindings ({@link QueryAnswer}), in a call of several keys or,
   * {@code alone}, of that key only. A code is TPNS's as sent: a server that sent {@code
   * "not_in_answer"} itself gets a failure with that code (before bulk runs read answers
   * themselves, that code was taken for the client's own and the key asked for again).
   */
  static Decision decide(String code, List<?> bound, boolean alone) {
    if (NOT_FOUND.equals(code)) {
      return Decision.NO_BINDINGS;
    }
    if (!QueryAnswer.isSuccess(code)) {
      return Decision.FAILED;
    }
    if (bound != null) {
      return Decision.BINDINGS;
    }
    return alone ? Decision.NOT_IN_ANSWER : Decision.ASK_AGAIN;
  }

  @Override
  boolean isAnswer(TpnsApiException failure) {
    return failure.retCode() == ResultCode.NOT_FOUND.code();
  }

  /**
   * A whole-call {@code 10110008}: for one key, that key's answer (no bindings); for several, it
   * says nothing of which key TPNS does not know, so each is asked for again alone.
   */
  @Override
  int answeredByFailure(BulkInput.Chunk chunk, TpnsException failure, BulkTally tally, Again again)
      throws HandlerFailed {
    if (chunk.items.length > 1) {
      for (int i = 0; i < chunk.items.length; i++) {
        again.ask(chunk, i);
      }
      tally.answered(0, 0);
      return 0;
    }
    Delivery d = new Delivery(chunk, tally);
    d.deliver(0, Collections.emptyList());
    tally.answered(1, d.succeeded);
    return d.succeeded;
  }

  /** Hands a chunk's answered keys to the handler, counting them. */
  private final class Delivery {
    final BulkInput.Chunk chunk;
    final BulkTally tally;
    int succeeded;
    int reasked;

    Delivery(BulkInput.Chunk chunk, BulkTally tally) {
      this.chunk = chunk;
      this.tally = tally;
    }

    /**
     * Hands item {@code i} to the handler; when it throws, accounts it and the rest of the chunk as
     * unanswered (those not already asked for again).
     */
    @SuppressWarnings("unchecked")
    void deliver(int i, List<?> bound) throws HandlerFailed {
      try {
        handler.onAnswer((K) chunk.items[i], (List<V>) bound);
      } catch (Throwable t) {
        for (int j = i; j < chunk.items.length; j++) {
          tally.failed(chunk.indexes[j], chunk.items[j], null);
        }
        tally.answered(chunk.items.length - reasked, succeeded);
        throw new HandlerFailed(t, succeeded);
      }
      succeeded++;
      keysAnswered++;
      bindingsFound += bound.size();
      if (bound.isEmpty()) {
        keysWithoutBindings++;
      }
    }
  }

  @Override
  String resumeHint() {
    return "partialResult(request).retryFailed()";
  }

  @Override
  BulkQueryResult<K, V> result(BulkTally tally) {
    List<ItemResult> failures = new ArrayList<>(tally.failedCount());
    List<K> keys = new ArrayList<>(tally.failedCount());
    tally.eachFailure(
        (item, code) -> {
          failures.add(BulkTally.itemResult(item, code));
          @SuppressWarnings("unchecked")
          K key = (K) item;
          keys.add(key);
        });
    return BulkQueryResult.of(
        keysAnswered,
        keysWithoutBindings,
        bindingsFound,
        failures,
        tally.errors(),
        tally.callsFailed(),
        tally.callsSent(),
        request.withKeys(Collections.unmodifiableList(keys)));
  }

  @Override
  TpnsBulkRunStoppedException stopped(
      String message, Throwable cause, long inputIndex, Object partial) {
    return new TpnsBulkQueryStoppedException(
        message, cause, inputIndex, request, (BulkQueryResult<?, ?>) partial);
  }
}
