package io.github.tpns4j.account;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * One call to {@code POST /v3/device/account/query}: the tokens of 1 to 20 accounts ({@code
 * operator_type} 1), or the accounts of 1 to 20 tokens ({@code operator_type} 2).
 *
 * <p>Immutable and validated on creation: empty, more than 20 items, null or blank elements, and a
 * token or account name twice in one query throw {@link io.github.tpns4j.TpnsValidationException}.
 * TPNS documents no limit for queries; 20 is tpns4j's choice, the same as for batch operations, to
 * keep answers small.
 */
public final class AccountQueryRequest {
  private final int operatorType;
  private final List<String> keys;
  private final String json;

  private AccountQueryRequest(int operatorType, List<String> keys, String json) {
    this.operatorType = operatorType;
    this.keys = keys;
    this.json = json;
  }

  /** {@code operator_type} 1: the tokens bound to each account. */
  public static AccountQueryRequest tokensOfAccounts(Account... accounts) {
    Checks.notNull("account_list", accounts);
    return tokensOfAccounts(Arrays.asList(accounts));
  }

  /** {@code operator_type} 1 over a collection; see {@link #tokensOfAccounts(Account...)}. */
  public static AccountQueryRequest tokensOfAccounts(Collection<Account> accounts) {
    List<Account> copy =
        Checks.copy("account_list", "accounts", accounts, BatchOperateRequest.MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(copy.size());
    for (Account a : copy) {
      keys.add(a.account());
    }
    Checks.unique(
        "account_list", ".account", keys, "an account name appears at most once per query");
    return new AccountQueryRequest(
        1, Collections.unmodifiableList(keys), RequestJson.accountList(1, copy));
  }

  /** {@code operator_type} 2: the accounts bound to each token. */
  public static AccountQueryRequest accountsOfTokens(String... tokens) {
    Checks.notNull("token_list", tokens);
    return accountsOfTokens(Arrays.asList(tokens));
  }

  /** {@code operator_type} 2 over a collection; see {@link #accountsOfTokens(String...)}. */
  public static AccountQueryRequest accountsOfTokens(Collection<String> tokens) {
    List<String> keys =
        Checks.copy("token_list", "tokens", tokens, BatchOperateRequest.MAX_ITEMS_PER_CALL);
    for (int i = 0; i < keys.size(); i++) {
      Checks.text("token_list", i, keys.get(i));
    }
    Checks.unique("token_list", "", keys, "a token appears at most once per query");
    return new AccountQueryRequest(2, keys, RequestJson.tokenList(2, keys));
  }

  /** 1 for {@link #tokensOfAccounts}, 2 for {@link #accountsOfTokens}. */
  public int operatorType() {
    return operatorType;
  }

  /** The account names (type 1) or tokens (type 2) asked about, in request order. Unmodifiable. */
  public List<String> keys() {
    return keys;
  }

  /** Exactly the JSON body that is sent (and signed). */
  public String toJson() {
    return json;
  }

  @Override
  public String toString() {
    return "AccountQueryRequest{operatorType=" + operatorType + ", keys=" + keys + "}";
  }
}
