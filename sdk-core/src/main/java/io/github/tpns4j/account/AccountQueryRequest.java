package io.github.tpns4j.account;

import java.nio.charset.StandardCharsets;
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
  static {
    Access.init();
  }

  private final int operatorType;
  private final List<String> keys;

  /** The exact UTF-8 body; never modified, never handed to users. */
  final byte[] body;

  private AccountQueryRequest(int operatorType, List<String> keys, byte[] body) {
    this.operatorType = operatorType;
    this.keys = keys;
    this.body = body;
  }

  /** {@code operator_type} 1: the tokens bound to each account. */
  public static AccountQueryRequest tokensOfAccounts(Account... accounts) {
    Checks.notNull("account_list", accounts);
    return tokensOfAccounts(Arrays.asList(accounts));
  }

  /** {@code operator_type} 1 over a collection; see {@link #tokensOfAccounts(Account...)}. */
  public static AccountQueryRequest tokensOfAccounts(Collection<Account> accounts) {
    Checks.size("account_list", "accounts", accounts, BatchOperateRequest.MAX_ITEMS_PER_CALL);
    List<Account> copy = new ArrayList<>(accounts);
    List<String> keys = new ArrayList<>(copy.size());
    for (Account a : copy) {
      keys.add(a.account());
    }
    Checks.unique(
        "account_list", ".account", keys, "an account name appears at most once per query");
    byte[] body =
        JsonBytes.encode(
            out -> out.raw("{\"operator_type\":1,\"account_list\":").accountList(copy).raw('}'));
    return new AccountQueryRequest(1, Collections.unmodifiableList(keys), body);
  }

  /** {@code operator_type} 2: the accounts bound to each token. */
  public static AccountQueryRequest accountsOfTokens(String... tokens) {
    Checks.notNull("token_list", tokens);
    return accountsOfTokens(Arrays.asList(tokens));
  }

  /** {@code operator_type} 2 over a collection; see {@link #accountsOfTokens(String...)}. */
  public static AccountQueryRequest accountsOfTokens(Collection<String> tokens) {
    Checks.size("token_list", "tokens", tokens, BatchOperateRequest.MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(tokens);
    boolean[] plain = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      plain[i] = Checks.text("token_list", i, keys.get(i));
    }
    Checks.unique("token_list", "", keys, "a token appears at most once per query");
    byte[] body =
        JsonBytes.encode(
            out ->
                out.raw("{\"operator_type\":2,\"token_list\":").stringList(keys, plain).raw('}'));
    return new AccountQueryRequest(2, Collections.unmodifiableList(keys), body);
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
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "AccountQueryRequest{operatorType=" + operatorType + ", keys=" + keys + "}";
  }
}
