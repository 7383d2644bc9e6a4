package io.github.tpns4j;

import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a bulk input once, lazily, into validated chunks of up to 20 items, each item with its
 * position in the input. An item whose key (its token, or its account name: {@link BulkJob#key}) is
 * already in the chunk starts the next one, so no call repeats a key. Used by the run's thread
 * only.
 */
final class BulkInput {
  /** Up to 20 items, their input positions, and the call they make. */
  static final class Chunk {
    final Object[] items;
    final long[] indexes;
    final Object call; // what BulkJob#call made of the items
    int rateLimitRetries;

    Chunk(Object[] items, long[] indexes, Object call) {
      this.items = items;
      this.indexes = indexes;
      this.call = call;
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

  private final BulkJob<?> job;
  private final Iterator<?> iterator;
  private long nextIndex;
  private Object carry; // read, left for the next chunk because its key was already in this one
  private long carryIndex;
  private boolean ended;

  // Items read into the chunk being built; what is left of them when reading stops.
  private final List<Object> items = new ArrayList<>(BatchOperateRequest.MAX_ITEMS_PER_CALL);
  private final long[] indexes = new long[BatchOperateRequest.MAX_ITEMS_PER_CALL];

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

  boolean ended() {
    return ended;
  }

  /**
   * The next chunk; null at the end of the input.
   *
   * @throws Stop when the input throws or an item is invalid; then {@link #unsent} holds the items
   *     read before it that no call carries
   */
  Chunk next() throws Stop {
    if (ended) {
      return null;
    }
    items.clear();
    Set<Object> keys = new HashSet<>();
    while (items.size() < BatchOperateRequest.MAX_ITEMS_PER_CALL) {
      Object item;
      long index;
      if (carry != null) {
        item = carry;
        index = carryIndex;
        carry = null;
      } else {
        index = nextIndex;
        try {
          if (!iterator.hasNext()) {
            ended = true;
            break;
          }
          item = iterator.next();
        } catch (Throwable t) {
          throw new Stop(t, index);
        }
        nextIndex++;
      }
      Object key = key(item, index);
      if (!keys.add(key)) {
        carry = item;
        carryIndex = index;
        break;
      }
      indexes[items.size()] = index;
      items.add(item);
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
    items.clear();
    return new Chunk(chunkItems, chunkIndexes, call);
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
    if (carry != null && carryIndex < stopIndex) {
      sink.add(carry, carryIndex);
    }
    carry = null;
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
            new TpnsValidationException(
                "bulk input item at index " + indexes[i] + ": " + e.getMessage(), e),
            indexes[i]);
      }
    }
    // Each item alone is valid, so the chunk itself is not: cannot happen, keys are unique.
    return new Stop(
        new TpnsValidationException(
            "bulk input items at index " + indexes[0] + " and after do not form a valid call"),
        indexes[0]);
  }

  private Object key(Object item, long index) throws Stop {
    String at = "bulk input item at index " + index;
    if (item == null) {
      throw new Stop(new TpnsValidationException(at + " is null"), index);
    }
    try {
      return job.key(item, at);
    } catch (TpnsValidationException e) {
      throw new Stop(e, index);
    }
  }

  /** The message for an item of the wrong type. */
  static TpnsValidationException wrongType(String at, Object item, String expected) {
    return new TpnsValidationException(
        at + " is a " + item.getClass().getName() + ", not a " + expected);
  }
}
