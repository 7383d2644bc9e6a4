package io.github.tpns4j.account;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to an account query. Per-item codes ({@code "10110008"}: no such token or account) are
 * reported in {@link #items()}, not thrown. The maps hold one entry per requested key the answer
 * covers, in request order (an empty list for a key answered {@code "10110008"} or with an empty
 * list), then any key the server added. Nothing is guessed: a key the answer does not mention is
 * not in the maps, and its item has the code {@link ItemResult#NOT_IN_ANSWER}; ask for it again. An
 * account whose {@code account_type} the answer leaves out (the international site's documented
 * answer) has type 0.
 */
public final class AccountQueryResult {
  // Lists of these types cannot change: a result keeps them as they are (see frozen).
  private static final Class<?> EMPTY_LIST = Collections.emptyList().getClass();
  private static final Class<?> SINGLETON_LIST = Collections.singletonList(null).getClass();

  private final int retCode;
  private final String errMsg;
  private final List<String> rawResult;
  private final List<ItemResult> items;
  private final Map<String, List<String>> tokensByAccount;
  private final Map<String, List<Account>> accountsByToken;

  private AccountQueryResult(
      int retCode,
      String errMsg,
      List<String> rawResult,
      List<ItemResult> items,
      Map<String, List<String>> tokensByAccount,
      Map<String, List<Account>> accountsByToken) {
    this.retCode = retCode;
    this.errMsg = errMsg;
    this.rawResult = rawResult;
    this.items = items;
    this.tokensByAccount = tokensByAccount;
    this.accountsByToken = accountsByToken;
  }

  /**
   * Pairs a server answer with the query it answers; this is what the client does, public so that
   * tests of code that consumes results can build them. Per-item codes pair with the keys as in
   * {@link BatchOperateResult#of}.
   *
   * @param accountTokens for type 1, the answer's {@code account_tokens} (account name to tokens);
   *     null when absent
   * @param tokenAccounts for type 2, the answer's {@code token_accounts} (token to accounts); null
   *     when absent
   */
  public static AccountQueryResult of(
      AccountQueryRequest request,
      int retCode,
      String errMsg,
      List<String> result,
      Map<String, List<String>> accountTokens,
      Map<String, List<Account>> tokenAccounts) {
    List<String> keys = request.keys();
    List<String> raw = ItemResult.copyRaw(result);
    List<ItemResult> items = ItemResult.pair(keys, null, raw, retCode);
    Map<String, List<String>> byAccount = Collections.emptyMap();
    Map<String, List<Account>> byToken = Collections.emptyMap();
    boolean type1 = request.operatorType() == 1;
    boolean inOrder = eachKeyInOrder(keys, type1 ? accountTokens : tokenAccounts);
    if (type1) {
      byAccount = inRequestOrder(keys, items, accountTokens, inOrder);
    } else {
      byToken = inRequestOrder(keys, items, tokenAccounts, inOrder);
    }
    if (!inOrder) {
      items = strict(items, type1 ? byAccount : byToken);
    } // else every key is answered: strict would change nothing
    return new AccountQueryResult(
        retCode, errMsg == null ? "" : errMsg, raw, items, byAccount, byToken);
  }

  /** Items that succeeded yet whose key the answer does not mention: {@code NOT_IN_ANSWER}. */
  private static List<ItemResult> strict(List<ItemResult> items, Map<String, ?> answered) {
    List<ItemResult> out = null;
    for (int i = 0; i < items.size(); i++) {
      ItemResult item = items.get(i);
      if (item.isSuccess() && !answered.containsKey(item.key())) {
        if (out == null) {
          out = new ArrayList<>(items);
        }
        out.set(i, item.withCode(ItemResult.NOT_IN_ANSWER));
      }
    }
    return out == null ? items : Collections.unmodifiableList(out);
  }

  /**
   * Whether the answer holds exactly the keys asked, in the order asked, none with a null value:
   * what TPNS answers, and what {@link #inRequestOrder} can copy as it comes.
   */
  private static boolean eachKeyInOrder(List<String> keys, Map<String, ?> answer) {
    if (answer == null || answer.size() != keys.size()) {
      return false;
    }
    int i = 0;
    for (Map.Entry<String, ?> e : answer.entrySet()) {
      if (e.getValue() == null || !keys.get(i++).equals(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  private static <V> Map<String, List<V>> inRequestOrder(
      List<String> keys, List<ItemResult> items, Map<String, List<V>> answer, boolean inOrder) {
    if (inOrder) {
      Map<String, List<V>> out = new LinkedHashMap<>(keys.size() * 4 / 3 + 1);
      int i = 0;
      for (Map.Entry<String, List<V>> e : answer.entrySet()) {
        out.put(keys.get(i++), frozen(e.getValue())); // the key as asked (equal to the answer's)
      }
      return Collections.unmodifiableMap(out);
    }
    int size = Math.max(keys.size(), answer == null ? 0 : answer.size());
    Map<String, List<V>> out = new LinkedHashMap<>(size * 4 / 3 + 1); // grows only for extras
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      List<V> values = answer == null ? null : answer.get(key);
      if (values != null) {
        out.put(key, frozen(values));
      } else if (ItemResult.NOT_FOUND.equals(items.get(i).code())) {
        out.put(key, Collections.<V>emptyList()); // TPNS knows no such key: no bindings
      }
    }
    if (answer != null) {
      for (Map.Entry<String, List<V>> e : answer.entrySet()) {
        if (!out.containsKey(e.getKey()) && e.getValue() != null) {
          out.put(e.getKey(), frozen(e.getValue()));
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * An unmodifiable copy of {@code values}; the list itself when its type makes it immutable (the
   * JDK's empty and singleton lists), as the client's answer reader makes an account's one token.
   */
  private static <V> List<V> frozen(List<V> values) {
    Class<?> type = values.getClass();
    if (type == EMPTY_LIST || type == SINGLETON_LIST) {
      return values;
    }
    return Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** The answer's {@code retCode} (or {@code ret_code}): 0 on success. */
  public int retCode() {
    return retCode;
  }

  /**
   * The answer's {@code errMsg} as received, e.g. {@code "ok"} or {@code "NO_ERROR"}; empty when
   * absent.
   */
  public String errMsg() {
    return errMsg;
  }

  /** The server's {@code result} array as received; empty when absent. */
  public List<String> rawResult() {
    return rawResult;
  }

  /**
   * One per requested key, in request order: {@code "0"}, e.g. {@code "10110008"} when not found,
   * or {@link ItemResult#NOT_IN_ANSWER} when the answer does not mention the key.
   */
  public List<ItemResult> items() {
    return items;
  }

  /**
   * For {@code tokensOfAccounts}: each answered account name's tokens, in request order; no entry
   * for a name the answer left out; empty for the other query.
   */
  public Map<String, List<String>> tokensByAccount() {
    return tokensByAccount;
  }

  /**
   * For {@code accountsOfTokens}: each answered token's accounts, in request order (type 0 where
   * the answer gave no {@code account_type}); no entry for a token the answer left out; empty for
   * the other query.
   */
  public Map<String, List<Account>> accountsByToken() {
    return accountsByToken;
  }

  @Override
  public String toString() {
    return "AccountQueryResult{retCode="
        + retCode
        + ", errMsg="
        + errMsg
        + ", tokensByAccount="
        + tokensByAccount
        + ", accountsByToken="
        + accountsByToken
        + "}";
  }
}
