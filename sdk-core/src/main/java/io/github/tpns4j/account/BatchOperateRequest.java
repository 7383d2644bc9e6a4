package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * One call to {@code POST /v3/device/account/batchoperate}: an operation and 1 to {@value
 * #MAX_ITEMS_PER_CALL} tokens (or accounts, for {@link #deleteAllForAccounts}).
 *
 * <p>Immutable and validated on creation: every factory throws {@link TpnsValidationException}
 * before any I/O when the input breaks a rule (empty, more than 20 items, a null element, a token
 * twice in one call). {@link #toJson()} is exactly the body that is sent, in the documented shape:
 * only the fields of the chosen operation, {@code account_type} only when set, compact UTF-8.
 *
 * <p>For more than 20 items, use {@link BulkRequest}.
 */
public final class BatchOperateRequest {
  /**
   * The most tokens (or, for {@link #deleteAllForAccounts}, accounts) in one call. TPNS documents
   * 20 for {@code token_accounts}; tpns4j applies the same limit to {@code token_list} and {@code
   * account_list}, for which TPNS documents none.
   */
  public static final int MAX_ITEMS_PER_CALL = 20;

  private static final String UNIQUE_TOKENS = "a token appears at most once per call";

  private final BatchOperation operation;
  private final List<String> keys;

  /** For operation 5, the accounts in wire order (what each key is about); null otherwise. */
  final List<Account> accounts;

  private final String json;

  private BatchOperateRequest(
      BatchOperation operation, List<String> keys, List<Account> accounts, String json) {
    this.operation = operation;
    this.keys = keys;
    this.accounts = accounts;
    this.json = json;
  }

  /**
   * Operation 2: for each token, bind its accounts, replacing the token's account of the same
   * {@code account_type} (TPNS keeps one account per type per token).
   */
  public static BatchOperateRequest overwrite(TokenAccounts... entries) {
    return tokenAccounts(BatchOperation.OVERWRITE, asList("token_accounts", entries));
  }

  /** Operation 2 over a collection; see {@link #overwrite(TokenAccounts...)}. */
  public static BatchOperateRequest overwrite(Collection<TokenAccounts> entries) {
    return tokenAccounts(BatchOperation.OVERWRITE, entries);
  }

  /** Operation 3: remove the listed accounts from each token. */
  public static BatchOperateRequest deleteAccounts(TokenAccounts... entries) {
    return tokenAccounts(BatchOperation.DELETE_ACCOUNTS, asList("token_accounts", entries));
  }

  /** Operation 3 over a collection; see {@link #deleteAccounts(TokenAccounts...)}. */
  public static BatchOperateRequest deleteAccounts(Collection<TokenAccounts> entries) {
    return tokenAccounts(BatchOperation.DELETE_ACCOUNTS, entries);
  }

  /** Operation 4: remove every account bound to each token. */
  public static BatchOperateRequest deleteAllForTokens(String... tokens) {
    return deleteAllForTokens(asList("token_list", tokens));
  }

  /** Operation 4 over a collection; see {@link #deleteAllForTokens(String...)}. */
  public static BatchOperateRequest deleteAllForTokens(Collection<String> tokens) {
    List<String> keys = Checks.copy("token_list", "tokens", tokens, MAX_ITEMS_PER_CALL);
    for (int i = 0; i < keys.size(); i++) {
      Checks.text("token_list", i, keys.get(i));
    }
    Checks.unique("token_list", "", keys, UNIQUE_TOKENS);
    BatchOperation op = BatchOperation.DELETE_ALL_FOR_TOKENS;
    return new BatchOperateRequest(op, keys, null, RequestJson.tokenList(op.code(), keys));
  }

  /**
   * Operation 5: remove every token binding of each account. The result's items are keyed by
   * account name. An account (name and type) appears at most once per call.
   */
  public static BatchOperateRequest deleteAllForAccounts(Account... accounts) {
    return deleteAllForAccounts(asList("account_list", accounts));
  }

  /** Operation 5 over a collection; see {@link #deleteAllForAccounts(Account...)}. */
  public static BatchOperateRequest deleteAllForAccounts(Collection<Account> accounts) {
    List<Account> copy = Checks.copy("account_list", "accounts", accounts, MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(copy.size());
    List<String> identities = new ArrayList<>(copy.size());
    for (Account a : copy) {
      keys.add(a.account());
      identities.add(a.hasType() ? a.account() + "\u0000" + a.type() : a.account());
    }
    Checks.unique(
        "account_list", ".account", identities, "an account appears at most once per call");
    BatchOperation op = BatchOperation.DELETE_ALL_FOR_ACCOUNTS;
    return new BatchOperateRequest(
        op, Collections.unmodifiableList(keys), copy, RequestJson.accountList(op.code(), copy));
  }

  /**
   * Operation 1: append accounts to each token.
   *
   * @deprecated TPNS disused operation 1 on 2020-10-26 and runs it as overwrite (operation 2); use
   *     {@link #overwrite(TokenAccounts...)}, which says what happens.
   */
  @Deprecated
  public static BatchOperateRequest append(TokenAccounts... entries) {
    return tokenAccounts(BatchOperation.APPEND, asList("token_accounts", entries));
  }

  private static BatchOperateRequest tokenAccounts(
      BatchOperation operation, Collection<TokenAccounts> entries) {
    List<TokenAccounts> copy = Checks.copy("token_accounts", "tokens", entries, MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(copy.size());
    for (TokenAccounts e : copy) {
      keys.add(e.token());
    }
    Checks.unique("token_accounts", ".token", keys, UNIQUE_TOKENS);
    return new BatchOperateRequest(
        operation,
        Collections.unmodifiableList(keys),
        null,
        RequestJson.tokenAccounts(operation.code(), copy));
  }

  private static <T> List<T> asList(String field, T[] items) {
    Checks.notNull(field, items);
    return Arrays.asList(items);
  }

  /** The operation ({@code operator_type}). */
  public BatchOperation operation() {
    return operation;
  }

  /**
   * The keys the result's items are reported under, in wire order: the tokens for operations 1-4,
   * the account names for operation 5. Unmodifiable.
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * Exactly the JSON body that is sent (and signed, as UTF-8), e.g. {@code
   * {"operator_type":4,"token_list":["t1"]}}; written once, when the request is made.
   */
  public String toJson() {
    return json;
  }

  @Override
  public String toString() {
    return "BatchOperateRequest{operation=" + operation + ", items=" + keys.size() + "}";
  }
}
