package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Validation shared by the request and value types; every failure names the field and the rule. */
final class Checks {
  private Checks() {}

  /**
   * Checks that {@code value} is a non-null, non-blank string of well-formed UTF-16 (an unpaired
   * surrogate cannot be sent as UTF-8).
   */
  static void text(String field, String value) {
    text(field, -1, value);
  }

  /**
   * {@link #text(String, String)} for element {@code index} of list {@code field}; names it only on
   * failure.
   */
  static void text(String list, int index, String value) {
    if (value == null) {
      throw new TpnsValidationException(
          name(list, index) + " is null; it must be a non-blank string");
    }
    if (isBlank(value)) {
      throw new TpnsValidationException(
          name(list, index) + " is blank (\"" + value + "\"); it must be a non-blank string");
    }
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          throw new TpnsValidationException(
              name(list, index)
                  + " has an unpaired UTF-16 surrogate at index "
                  + i
                  + "; it cannot be sent as UTF-8");
        }
      }
    }
  }

  /** The field's name for a message; built only when there is one to write. */
  private static String name(String list, int index) {
    return index < 0 ? list : list + "[" + index + "]";
  }

  static boolean isBlank(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (!Character.isWhitespace(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new TpnsValidationException(field + " is null");
    }
    return value;
  }

  /**
   * An unmodifiable copy of 1 to {@code max} elements, none null. The checks run on the copy, so a
   * collection that changes or misreports its size cannot slip more than {@code max} through.
   */
  static <T> List<T> copy(String field, String what, Collection<T> items, int max) {
    notNull(field, items);
    @SuppressWarnings("unchecked")
    T[] copy = (T[]) items.toArray();
    if (copy.length == 0) {
      throw new TpnsValidationException(field + " is empty; a call needs 1 to " + max + " " + what);
    }
    if (copy.length > max) {
      throw new TpnsValidationException(
          field
              + " has "
              + copy.length
              + " "
              + what
              + "; at most "
              + max
              + " per call (BatchOperateRequest.MAX_ITEMS_PER_CALL); "
              + "use TpnsClient.bulkOperate for more");
    }
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == null) {
        throw new TpnsValidationException(field + "[" + i + "] is null");
      }
    }
    return Collections.unmodifiableList(Arrays.asList(copy));
  }

  /**
   * Fails on the first key that repeats an earlier one. Lists are at most 20 long: no hash table
   * needed.
   */
  static void unique(String field, String keyName, List<String> keys, String rule) {
    int n = keys.size();
    int[] hashes = new int[n];
    for (int i = 0; i < n; i++) {
      String key = keys.get(i);
      int h = key.hashCode();
      hashes[i] = h;
      for (int j = 0; j < i; j++) {
        if (hashes[j] == h && keys.get(j).equals(key)) {
          throw new TpnsValidationException(
              field
                  + "["
                  + i
                  + "]"
                  + keyName
                  + " \""
                  + key
                  + "\" repeats "
                  + field
                  + "["
                  + j
                  + "]; "
                  + rule);
        }
      }
    }
  }
}
