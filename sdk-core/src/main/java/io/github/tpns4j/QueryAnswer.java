package io.github.tpns4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A query's answer as a bulk run reads it: for each key asked, in the order asked, its code and its
 * bindings, taken from the answer's entries as they come. No result is made, and no map unless the
 * entries are not the keys asked in the order asked. {@link QueryJob#decide} then decides each
 * key's fate from them as the bulk run did from an {@link
 * io.github.tpns4j.account.AccountQueryResult} (its item's code, and its entry in the result's
 * map), which a test checks over any answer.
 */
final class QueryAnswer {
  final int retCode;

  /**
   * Each key's code as TPNS sent it: the answer's {@code result} at its position when there is one
   * per key; else {@code "0"} for every key when {@code retCode} is 0, null when it is not (nothing
   * guessed). Unlike a result's item, a success code stays a success code when the answer does not
   * mention the key: {@link #bound} says that.
   */
  final String[] codes;

  /**
   * Each key's bindings, unmodifiable, as the answer lists them; null when the answer does not
   * mention the key (whatever its code: a result's map has an empty list for a key coded {@code
   * 10110008}, which {@link QueryJob#decide} hands over the same way).
   */
  final List<?>[] bound;

  private QueryAnswer(int retCode, String[] codes, List<?>[] bound) {
    this.retCode = retCode;
    this.codes = codes;
    this.bound = bound;
  }

  /** Reads the answer to a query of {@code keys}, by account name (type 1) or by token. */
  static QueryAnswer of(List<String> keys, boolean byAccount, Answer answer) {
    int n = keys.size();
    String[] codes = new String[n];
    List<String> result = answer.result;
    boolean paired = result.size() == n;
    String unpaired = answer.retCode == 0 ? "0" : null;
    for (int i = 0; i < n; i++) {
      codes[i] = paired ? result.get(i) : unpaired;
    }
    Answer.Entries<?> entries = byAccount ? answer.accountTokens : answer.tokenAccounts;
    List<?>[] bound = new List<?>[n];
    if (entries == null) {
      return new QueryAnswer(answer.retCode, codes, bound);
    }
    if (entries.size() == n && eachKeyInOrder(keys, entries)) {
      for (int i = 0; i < n; i++) {
        bound[i] = entries.value(i);
      }
    } else { // another order, keys left out, added or twice: the last entry of a key holds
      Map<String, List<?>> byKey = new HashMap<>(entries.size() * 4 / 3 + 1);
      for (int i = 0; i < entries.size(); i++) {
        byKey.put(entries.key(i), entries.value(i));
      }
      for (int i = 0; i < n; i++) {
        bound[i] = byKey.get(keys.get(i));
      }
    }
    return new QueryAnswer(answer.retCode, codes, bound);
  }

  /** Whether entry i is key i, for each i (the same string when the reader matched it). */
  private static boolean eachKeyInOrder(List<String> keys, Answer.Entries<?> entries) {
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String answered = entries.key(i);
      if (answered != key && !answered.equals(key)) {
        return false;
      }
    }
    return true;
  }

  /** {@link io.github.tpns4j.account.ItemResult#isSuccess()} of a code. */
  static boolean isSuccess(String code) {
    return code != null && ("0".equals(code) || "ok".equalsIgnoreCase(code));
  }
}
