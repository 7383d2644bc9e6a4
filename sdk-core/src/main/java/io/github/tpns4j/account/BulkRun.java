package io.github.tpns4j.account;

import io.github.tpns4j.TpnsApiException;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.internal.BulkTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One bulk run: reads the input lazily in chunks of up to 20, keeps at most {@code limit} calls in
 * flight, and slows down as a whole when TPNS rate limits (halving the calls in flight and pausing
 * every sender, then growing back by one call per {@code limit} successes). The caller's thread
 * reads the input and sends; completions arrive on OkHttp's threads. All shared state is guarded by
 * {@code lock}.
 */
final class BulkRun {
  private final BulkRequest request;
  private final BulkTransport transport;
  private final Object lock = new Object();

  // read by the caller's thread only
  private Iterator<?> input;
  private long nextIndex;
  private Object
      carry; // an item read but left for the next chunk (its key was already in the chunk)
  private long carryIndex;

  // guarded by lock
  private final Deque<Chunk> requeued = new ArrayDeque<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<TpnsException> errors = new ArrayList<>();
  private int inFlight;
  private int limit;
  private int successStreak;
  private long pauseUntil; // System.nanoTime() before which nothing is sent
  private boolean paused;
  private boolean inputDone;
  private long itemsSucceeded;
  private long itemsDone;
  private int callsDone;
  private int callsSent;
  private RuntimeException stop; // why the input stopped early, thrown at the end

  BulkRun(BulkRequest request, BulkTransport transport) {
    this.request = request;
    this.transport = transport;
    this.limit = request.concurrency;
  }

  /** A chunk and where its items came from. */
  private static final class Chunk {
    final List<Object> items;
    final long[] indexes;
    final BatchOperateRequest call;
    int rateLimitRetries;

    Chunk(List<Object> items, long[] indexes, BatchOperateRequest call) {
      this.items = items;
      this.indexes = indexes;
      this.call = call;
    }
  }

  private static final class Failure {
    final long index;
    final Object item;
    final ItemResult result;

    Failure(long index, Object item, ItemResult result) {
      this.index = index;
      this.item = item;
      this.result = result;
    }
  }

  BulkResult run() {
    try {
      input = request.items.iterator();
    } catch (RuntimeException e) {
      throw new TpnsException(
          "the bulk input's iterator() failed (" + e + "); nothing was sent", e);
    }
    boolean interrupted = false;
    try {
      while (true) {
        Chunk chunk;
        boolean reserved = false;
        synchronized (lock) {
          while (true) {
            long wait = waitNanos();
            if (wait == 0 && !requeued.isEmpty()) {
              chunk = requeued.poll();
              inFlight++;
              break;
            }
            if (wait == 0 && !inputDone) {
              chunk = null;
              inFlight++; // reserve the slot while reading outside the lock
              reserved = true;
              break;
            }
            if (inputDone && requeued.isEmpty() && inFlight == 0) {
              return finish();
            }
            if (wait > 0) {
              TimeUnit.NANOSECONDS.timedWait(lock, wait);
            } else {
              lock.wait();
            }
          }
        }
        if (reserved && transport.isClosed()) {
          synchronized (lock) {
            inFlight--;
            inputDone = true;
            if (stop == null) {
              stop = new TpnsException("the TpnsClient was closed during the bulk run");
            }
            lock.notifyAll();
          }
          continue;
        }
        if (reserved) {
          chunk = readChunk();
          if (chunk == null) {
            synchronized (lock) {
              inFlight--;
              inputDone = true;
              lock.notifyAll();
            }
            continue;
          }
          synchronized (lock) {
            callsSent++;
          }
        }
        send(chunk);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      synchronized (lock) {
        inputDone = true;
        requeued.clear();
        if (stop == null) {
          stop =
              new TpnsException(
                  "the bulk run was interrupted; calls in flight were left to finish", e);
        }
      }
      awaitInFlight();
      return finish();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** 0 when a call may be sent now, >0 to wait out a pause, <0 to wait for a completion. */
  private long waitNanos() {
    if (paused) {
      long left = pauseUntil - System.nanoTime();
      if (left > 0) {
        return left;
      }
      paused = false;
    }
    return inFlight < limit ? 0 : -1;
  }

  private void awaitInFlight() {
    boolean interrupted = false;
    synchronized (lock) {
      while (inFlight > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private BulkResult finish() {
    synchronized (lock) {
      if (stop != null) {
        throw stop instanceof TpnsValidationException
            ? new TpnsValidationException(stop.getMessage() + progressNote())
            : new TpnsException(stop.getMessage() + progressNote(), stop.getCause());
      }
      failures.sort(Comparator.comparingLong(f -> f.index));
      List<ItemResult> results = new ArrayList<>(failures.size());
      List<Object> failedItems = new ArrayList<>(failures.size());
      for (Failure f : failures) {
        results.add(f.result);
        failedItems.add(f.item);
      }
      return new BulkResult(
          itemsSucceeded,
          results,
          new ArrayList<>(errors),
          callsSent,
          request.withItems(failedItems));
    }
  }

  private String progressNote() {
    return "; before it, "
        + itemsDone
        + " items were sent in "
        + callsDone
        + " calls ("
        + itemsSucceeded
        + " succeeded, "
        + failures.size()
        + " failed); nothing after was sent";
  }

  // ---- reading

  /**
   * The next chunk of up to 20 valid items, or null at the end of the input (or when it stopped).
   */
  private Chunk readChunk() {
    int max = BatchOperateRequest.MAX_ITEMS_PER_CALL;
    List<Object> items = new ArrayList<>(max);
    long[] indexes = new long[max];
    Set<String> keys = new HashSet<>();
    while (items.size() < max) {
      Object item;
      long index;
      if (carry != null) {
        item = carry;
        index = carryIndex;
        carry = null;
      } else {
        index = nextIndex;
        try {
          if (!input.hasNext()) {
            break;
          }
          item = input.next();
        } catch (RuntimeException e) {
          return stopped(
              new TpnsException(
                  "reading the bulk input failed at index " + index + " (" + e + ")", e));
        }
        nextIndex++;
      }
      String key;
      try {
        key = key(item, index);
      } catch (TpnsValidationException e) {
        return stopped(e);
      }
      if (!keys.add(key)) {
        carry = item; // the same key again: it goes into the next call
        carryIndex = index;
        break;
      }
      indexes[items.size()] = index;
      items.add(item);
    }
    if (items.isEmpty()) {
      return null;
    }
    try {
      return new Chunk(items, indexes, toRequest(items));
    } catch (TpnsValidationException e) {
      // not expected after key(): the factories check what key() checked
      return stopped(
          new TpnsValidationException(
              "bulk input items at index "
                  + indexes[0]
                  + " to "
                  + indexes[items.size() - 1]
                  + ": "
                  + e.getMessage()));
    }
  }

  private Chunk stopped(RuntimeException why) {
    synchronized (lock) {
      stop = why;
    }
    return null;
  }

  /** Checks one item and gives the key that must not repeat within a call. */
  private String key(Object item, long index) {
    String at = "bulk input item at index " + index;
    if (item == null) {
      throw new TpnsValidationException(at + " is null");
    }
    switch (request.operation) {
      case DELETE_ALL_FOR_TOKENS:
        if (!(item instanceof String)) {
          throw wrongType(at, item, "String token");
        }
        return Checks.nonBlank(at + " (a token)", (String) item);
      case DELETE_ALL_FOR_ACCOUNTS:
        if (!(item instanceof Account)) {
          throw wrongType(at, item, "Account");
        }
        Account a = (Account) item;
        return a.hasType() ? a.account() + '\u0000' + a.type() : a.account();
      default:
        if (!(item instanceof TokenAccounts)) {
          throw wrongType(at, item, "TokenAccounts");
        }
        return ((TokenAccounts) item).token();
    }
  }

  private static TpnsValidationException wrongType(String at, Object item, String expected) {
    return new TpnsValidationException(
        at + " is a " + item.getClass().getName() + ", not a " + expected);
  }

  @SuppressWarnings({"unchecked", "deprecation"})
  private BatchOperateRequest toRequest(List<Object> items) {
    Collection<?> raw = items;
    switch (request.operation) {
      case DELETE_ALL_FOR_TOKENS:
        return BatchOperateRequest.deleteAllForTokens((Collection<String>) raw);
      case DELETE_ALL_FOR_ACCOUNTS:
        return BatchOperateRequest.deleteAllForAccounts((Collection<Account>) raw);
      case DELETE_ACCOUNTS:
        return BatchOperateRequest.deleteAccounts((Collection<TokenAccounts>) raw);
      default:
        return BatchOperateRequest.overwrite((Collection<TokenAccounts>) raw);
    }
  }

  // ---- sending

  private void send(Chunk chunk) {
    try {
      transport.send(chunk.call).whenComplete((result, error) -> completed(chunk, result, error));
    } catch (RuntimeException e) {
      completed(chunk, null, e);
    }
  }

  private void completed(Chunk chunk, BatchOperateResult result, Throwable error) {
    synchronized (lock) {
      inFlight--;
      try {
        if (error != null) {
          TpnsException e = unwrap(error);
          if (slowDown(chunk, e)) {
            return;
          }
          errors.add(e);
          String code =
              e instanceof TpnsApiException
                  ? Integer.toString(((TpnsApiException) e).retCode())
                  : null;
          List<String> keys = chunk.call.keys();
          for (int i = 0; i < keys.size(); i++) {
            failures.add(
                new Failure(
                    chunk.indexes[i], chunk.items.get(i), ItemResult.of(keys.get(i), code)));
          }
          successStreak = 0;
        } else {
          List<ItemResult> items = result.items();
          for (int i = 0; i < items.size(); i++) {
            ItemResult item = items.get(i);
            if (item.isSuccess()) {
              itemsSucceeded++;
            } else {
              failures.add(new Failure(chunk.indexes[i], chunk.items.get(i), item));
            }
          }
          if (limit < request.concurrency && ++successStreak >= limit) {
            limit++; // additive increase after a rate-limit halving
            successStreak = 0;
          }
        }
        itemsDone += chunk.items.size();
        callsDone++;
        if (request.listener != null) {
          try {
            request.listener.onProgress(itemsDone, callsDone);
          } catch (RuntimeException ignored) {
            // documented: a failing progress display must not stop the run
          }
        }
      } finally {
        lock.notifyAll();
      }
    }
  }

  /**
   * On rate limiting: requeue the chunk, halve the calls in flight and pause every sender. False
   * when the chunk has used its retries or the server asks to wait more than a minute.
   */
  private boolean slowDown(Chunk chunk, TpnsException e) {
    long delay = transport.rateLimitDelayNanos(e, chunk.rateLimitRetries);
    if (delay < 0) {
      return false;
    }
    chunk.rateLimitRetries++;
    requeued.addFirst(chunk);
    limit = Math.max(1, limit / 2);
    successStreak = 0;
    long until = System.nanoTime() + delay;
    if (!paused || until - pauseUntil > 0) {
      pauseUntil = until;
      paused = true;
    }
    return true;
  }

  private static TpnsException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof TpnsException
        ? (TpnsException) c
        : new TpnsException("the call failed unexpectedly (" + c + ")", c);
  }
}
