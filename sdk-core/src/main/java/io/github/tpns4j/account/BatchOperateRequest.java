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
  private final String json;

  private BatchOperateRequest(BatchOperation operation, List<String> keys, String json) {
    this.operation = operation;
    this.keys = keys;
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
    Checks.size("token_list", "tokens", tokens, MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(tokens);
    for (int i = 0; i < keys.size(); i++) {
      Checks.nonBlank("token_list[" + i + "]", keys.get(i));
    }
    Checks.unique("token_list", "", keys, UNIQUE_TOKENS);
    StringBuilder out = new StringBuilder(32 + 40 * keys.size());
    out.append("{\"operator_type\":").append(BatchOperation.DELETE_ALL_FOR_TOKENS.code());
    out.append(",\"token_list\":");
    JsonText.stringList(out, keys);
    out.append('}');
    return new BatchOperateRequest(
        BatchOperation.DELETE_ALL_FOR_TOKENS, Collections.unmodifiableList(keys), out.toString());
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
    Checks.size("account_list", "accounts", accounts, MAX_ITEMS_PER_CALL);
    List<Account> copy = new ArrayList<>(accounts);
    List<String> identities = new ArrayList<>(copy.size());
    List<String> keys = new ArrayList<>(copy.size());
    for (Account a : copy) {
      keys.add(a.account());
      identities.add(a.accountType() == null ? a.account() : a.account() + "\u0000" + a.accountType());
    }
    Checks.unique("account_list", ".account", identities, "an account appears at most once per call");
    StringBuilder out = new StringBuilder(32 + 48 * copy.size());
    out.append("{\"operator_type\":").append(BatchOperation.DELETE_ALL_FOR_ACCOUNTS.code());
    out.append(",\"account_list\":");
    JsonText.accountList(out, copy);
    out.append('}');
    return new BatchOperateRequest(
        BatchOperation.DELETE_ALL_FOR_ACCOUNTS, Collections.unmodifiableList(keys), out.toString());
  }

  /**
   * Operation 1: append accounts to each token.
   *
   * @deprecated TPNS disused operation 1 on 2020-10-26 and runs it as overwrite (operation 2);
   *     use {@link #overwrite(TokenAccounts...)}, which says what happens.
   */
  @Deprecated
  public static BatchOperateRequest append(TokenAccounts... entries) {
    return tokenAccounts(BatchOperation.APPEND, asList("token_accounts", entries));
  }

  private static BatchOperateRequest tokenAccounts(
      BatchOperation operation, Collection<TokenAccounts> entries) {
    Checks.size("token_accounts", "tokens", entries, MAX_ITEMS_PER_CALL);
    List<String> keys = new ArrayList<>(entries.size());
    for (TokenAccounts e : entries) {
      keys.add(e.token());
    }
    Checks.unique("token_accounts", ".token", keys, UNIQUE_TOKENS);
    StringBuilder out = new StringBuilder(40 + 96 * keys.size());
    out.append("{\"operator_type\":").append(operation.code()).append(",\"token_accounts\":[");
    boolean first = true;
    for (TokenAccounts e : entries) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.string(out.append("{\"token\":"), e.token());
      out.append(",\"account_list\":");
      JsonText.accountList(out, e.accounts());
      out.append('}');
    }
    out.append("]}");
    return new BatchOperateRequest(operation, Collections.unmodifiableList(keys), out.toString());
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

  /** Exactly the JSON body that is sent (and signed), e.g. {@code {"operator_type":4,"token_list":["t1"]}}. */
  public String toJson() {
    return json;
  }

  @Override
  public String toString() {
    return "BatchOperateRequest{operation=" + operation + ", items=" + keys.size() + "}";
  }
}
