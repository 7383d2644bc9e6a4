package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Validation shared by the request and value types; every failure names the field and the rule. */
final class Checks {
  private Checks() {}

  static String nonBlank(String field, String value) {
    if (value == null) {
      throw new TpnsValidationException(field + " is null; it must be a non-blank string");
    }
    if (isBlank(value)) {
      throw new TpnsValidationException(
          field + " is blank (\"" + value + "\"); it must be a non-blank string");
    }
    return value;
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

  /** 1 to {@code max} elements, none null. */
  static void size(String field, String what, Collection<?> items, int max) {
    notNull(field, items);
    if (items.isEmpty()) {
      throw new TpnsValidationException(
          field + " is empty; a call needs 1 to " + max + " " + what);
    }
    if (items.size() > max) {
      throw new TpnsValidationException(
          field + " has " + items.size() + " " + what + "; at most " + max
              + " per call (BatchOperateRequest.MAX_ITEMS_PER_CALL); "
              + "use TpnsClient.bulkOperate for more");
    }
    int i = 0;
    for (Object item : items) {
      if (item == null) {
        throw new TpnsValidationException(field + "[" + i + "] is null");
      }
      i++;
    }
  }

  /** Fails on the first key that repeats an earlier one. */
  static void unique(String field, String keyName, Iterable<String> keys, String rule) {
    Map<String, Integer> seen = new HashMap<>();
    int i = 0;
    for (String key : keys) {
      Integer first = seen.putIfAbsent(key, i);
      if (first != null) {
        throw new TpnsValidationException(
            field + "[" + i + "]" + keyName + " \"" + key + "\" repeats " + field + "[" + first
                + "]; " + rule);
      }
      i++;
    }
  }
}
