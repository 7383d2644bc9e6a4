package io.github.tpns4j;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a bulk input once, lazily, into validated chunks of up to 20 items, each item with its
 * position in the input. No call repeats a key (its token, or its account: {@link BulkJob#key}).
 *
 * <p>For a job that writes ({@link BulkJob#orderedPerKey()}), no two chunks in flight share a key,
 * and the items of one key are sent in input order: a chunk's keys are busy from when it is made
 * until the run {@link #release}s it (answered, or failed for good; a chunk waiting to be sent
 * again stays busy). An item whose key is busy, or already in the chunk being built, is held back
 * and goes into a later chunk once its key is free, before any later item of that key. At most
 * {@link #maxHeld} items are held: beyond that, reading waits for keys to be released, so memory
 * stays bounded by the calls in flight. Used by the run's thread only.
 */
final class BulkInput {
  /** Up to 20 items, their input positions, and the call they make. */
  static final class Chunk {
    final Object[] items;
    final long[] indexes;
    final Object[] keys; // the items' keys, in order
    final Object call; // what BulkJob#call made of the items
    final boolean alone; // one key asked again alone (a query whose answer left it out)
    RetryPolicy.History history; // the chunk's retries and resends; null until first sent
    boolean busy; // its keys are counted in busy
    boolean sent; // a worker took it at least once (the run saw its call end)

    Chunk(Object[] items, long[] indexes, Object[] keys, Object call, boolean alone) {
      this.items = items;
      this.indexes = indexes;
      this.keys = keys;
      this.call = call;
      this.alone = alone;
    }
  }

  /** Reading stopped: what stopped it, and where. Items read before it are in {@link #unsent}. */
  static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Throwable why;
    final long index;

    Stop(Throwable why, long index) {
      super(null, null, false, false);
      this.why = why;
      this.index = index;
    }
  }

  /** An item read and held back until its key is free. */
  private static final class Held {
    final Object item;
    final long index;
    final Object key;

    Held(Object item, long index, Object key) {
      this.item = item;
      this.index = index;
      this.key = key;
    }
  }

  private final BulkJob<?> job;
  private final Iterator<?> iterator;
  private final boolean ordered;
  private final int maxHeld;
  private final Map<Object, Integer> busy = new HashMap<>(); // key: chunks holding it, not released
  private final ArrayDeque<Held> held = new ArrayDeque<>(); // in input order
  private final Map<Object, Integer> heldKeys = new HashMap<>(); // key: items of it held
  private long nextIndex;
  private boolean exhausted;

  // Items read into the chunk being built; what is left of them when reading stops.
  private final List<Object> items = new ArrayList<>(BatchOperateRequest.MAX_ITEMS_PER_CALL);
  private final List<Object> keys = new ArrayList<>(BatchOperateRequest.MAX_ITEMS_PER_CALL);
  private final long[] indexes = new long[BatchOperateRequest.MAX_ITEMS_PER_CALL];
  private final Set<Object> inChunk = new HashSet<>(); // the keys of items, reused chunk to chunk

  /**
   * @throws Stop when the input's {@code iterator()} throws
   */
  BulkInput(BulkRequest request) throws Stop {
    this(new OperateJob(request));
  }

  /**
   * @throws Stop when the input's {@code iterator()} throws
   */
  BulkInput(BulkJob<?> job) throws Stop {
    this.job = job;
    this.ordered = job.orderedPerKey();
    this.maxHeld = BatchOperateRequest.MAX_ITEMS_PER_CALL * Math.max(1, job.maxCallsInFlight());
    try {
      this.iterator = job.input().iterator();
    } catch (Throwable t) {
      throw new Stop(t, 0);
    }
  }

  /** The position of the first item not yet read. */
  long nextIndex() {
    return nextIndex;
  }

  /** Whether every item was read and put in a chunk. */
  boolean ended() {
    return exhausted && held.isEmpty();
  }

  /** Items held back now; tests only. */
  int held() {
    return held.size();
  }

  /**
   * The next chunk; null when there is none now: at the end of the input ({@link #ended()}), or,
   * for a job that writes, while every item that could go next waits for a key to be released.
   *
   * @throws Stop when the input throws or an item is invalid; then {@link #unsent} holds the items
   *     read before it that no call carries
   */
  Chunk next() throws Stop {
    items.clear();
    keys.clear();
    inChunk.clear();
    if (!held.isEmpty()) {
      Set<Object> passed = null; // keys of held items left behind: their later items wait too
      for (Iterator<Held> it = held.iterator();
          it.hasNext() && items.size() < BatchOperateRequest.MAX_ITEMS_PER_CALL; ) {
        Held h = it.next();
        if (busy.containsKey(h.key)
            || inChunk.contains(h.key)
            || (passed != null && passed.contains(h.key))) {
          if (passed == null) {
            passed = new HashSet<>();
          }
          passed.add(h.key);
          continue;
        }
        it.remove();
        decrement(heldKeys, h.key);
        add(h.item, h.index, h.key, inChunk);
      }
    }
    while (!exhausted
        && items.size() < BatchOperateRequest.MAX_ITEMS_PER_CALL
        && held.size() < maxHeld) {
      long index = nextIndex;
      Object item;
      try {
        if (!iterator.hasNext()) {
          exhausted = true;
          break;
        }
        item = iterator.next();
      } catch (Throwable t) {
        throw new Stop(t, index);
      }
      nextIndex++;
      Object key = key(item, index);
      if (inChunk.contains(key) || busy.containsKey(key) || heldKeys.containsKey(key)) {
        // A held item is valid: its key equals one already in a chunk, which was checked, and the
        // rest of it was checked when it was made (TokenAccounts, Account). So no later stop can
        // fall on it after later items were sent.
        held.add(new Held(item, index, key));
        heldKeys.merge(key, 1, Integer::sum);
        continue;
      }
      add(item, index, key, inChunk);
    }
    if (items.isEmpty()) {
      return null;
    }
    Object call;
    try {
      call = job.call(items);
    } catch (TpnsValidationException e) {
      throw invalidItem();
    }
    Object[] chunkItems = items.toArray();
    long[] chunkIndexes = new long[chunkItems.length];
    System.arraycopy(indexes, 0, chunkIndexes, 0, chunkItems.length);
    Chunk c = new Chunk(chunkItems, chunkIndexes, keys.toArray(), call, false);
    items.clear();
    keys.clear();
    if (ordered) {
      for (Object k : c.keys) {
        busy.merge(k, 1, Integer::sum);
      }
      c.busy = true;
    }
    return c;
  }

  private void add(Object item, long index, Object key, Set<Object> inChunk) {
    indexes[items.size()] = index;
    items.add(item);
    keys.add(key);
    inChunk.add(key);
  }

  private static void decrement(Map<Object, Integer> counts, Object key) {
    Integer n = counts.get(key);
    if (n == null || n <= 1) {
      counts.remove(key);
    } else {
      counts.put(key, n - 1);
    }
  }

  /** The chunk is answered or failed for good: its keys are free for the items held back. */
  void release(Chunk c) {
    if (c.busy) {
      c.busy = false;
      for (Object k : c.keys) {
        decrement(busy, k);
      }
    }
  }

  /** A chunk of item {@code i} of {@code c} alone, to ask again (a key its answer left out). */
  Chunk alone(Chunk c, int i) {
    Object call = job.call(Collections.singletonList(c.items[i]));
    return new Chunk(
        new Object[] {c.items[i]}, new long[] {c.indexes[i]}, new Object[] {c.keys[i]}, call, true);
  }

  /**
   * The items read but not carried by any call after a stop, with their positions, in input order;
   * those from the stop's position on are left out (the caller resumes from there).
   */
  void unsent(long stopIndex, Unsent sink) {
    for (int i = 0; i < items.size(); i++) {
      if (indexes[i] < stopIndex) {
        sink.add(items.get(i), indexes[i]);
      }
    }
    items.clear();
    keys.clear();
    for (Held h : held) {
      if (h.index < stopIndex) {
        sink.add(h.item, h.index);
      }
    }
    held.clear();
    heldKeys.clear();
  }

  interface Unsent {
    void add(Object item, long index);
  }

  /** Finds which item of the chunk the call refused; only on this failure path. */
  private Stop invalidItem() {
    for (int i = 0; i < items.size(); i++) {
      try {
        job.call(Collections.singletonList(items.get(i)));
      } catch (TpnsValidationException e) {
        return new Stop(
            new TpnsValidationException(at(indexes[i]) + ": " + e.getMessage(), e), indexes[i]);
      }
    }
    // Each item alone is valid, so the chunk itself is not: cannot happen, keys are unique.
    return new Stop(
        new TpnsValidationException(
            "bulk input items at index " + indexes[0] + " and after do not form a valid call"),
        indexes[0]);
  }

  private Object key(Object item, long index) throws Stop {
    if (item == null) {
      throw new Stop(new TpnsValidationException(at(index) + " is null"), index);
    }
    try {
      return job.key(item, index);
    } catch (TpnsValidationException e) {
      throw new Stop(e, index);
    }
  }

  /** Names an item in a message; made only on the failure path, never per item read. */
  static String at(long index) {
    return "bulk input item at index " + index;
  }

  /** The message for an item of the wrong type. */
  static TpnsValidationException wrongType(long index, Object item, String expected) {
    return new TpnsValidationException(
        at(index) + " is a " + item.getClass().getName() + ", not a " + expected);
  }
}
