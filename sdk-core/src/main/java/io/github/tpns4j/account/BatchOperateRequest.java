package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.nio.charset.StandardCharsets;
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

  static {
    Access.init();
  }

  private final BatchOperation operation;
  private final List<String> keys;

  /** The exact UTF-8 body; never modified, never handed to users. */
  final byte[] body;

  private BatchOperateRequest(BatchOperation operation, List<String> keys, byte[] body) {
    this.operation = operation;
    this.keys = keys;
    this.body = body;
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
    boolean[] plain = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      plain[i] = Checks.text("token_list", i, keys.get(i));
    }
    Checks.unique("token_list", "", keys, UNIQUE_TOKENS);
    byte[] body =
        JsonBytes.encode(
            out ->
                out.raw("{\"operator_type\":4,\"token_list\":").stringList(keys, plain).raw('}'));
    return new BatchOperateRequest(
        BatchOperation.DELETE_ALL_FOR_TOKENS, Collections.unmodifiableList(keys), body);
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
    List<String> keys = new ArrayList<>(copy.size());
    List<String> identities = new ArrayList<>(copy.size());
    for (Account a : copy) {
      keys.add(a.account());
      identities.add(a.hasType() ? a.account() + "\u0000" + a.type() : a.account());
    }
    Checks.unique(
        "account_list", ".account", identities, "an account appears at most once per call");
    byte[] body =
        JsonBytes.encode(
            out -> out.raw("{\"operator_type\":5,\"account_list\":").accountList(copy).raw('}'));
    return new BatchOperateRequest(
        BatchOperation.DELETE_ALL_FOR_ACCOUNTS, Collections.unmodifiableList(keys), body);
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
    Checks.size("token_accounts", "tokens", entries, MAX_ITEMS_PER_CALL);
    List<TokenAccounts> copy =
        entries instanceof List ? (List<TokenAccounts>) entries : new ArrayList<>(entries);
    List<String> keys = new ArrayList<>(copy.size());
    for (TokenAccounts e : copy) {
      keys.add(e.token());
    }
    Checks.unique("token_accounts", ".token", keys, UNIQUE_TOKENS);
    byte[] body =
        JsonBytes.encode(
            out -> {
              out.raw("{\"operator_type\":").number(operation.code()).raw(",\"token_accounts\":[");
              for (int i = 0; i < copy.size(); i++) {
                TokenAccounts e = copy.get(i);
                out.raw(i == 0 ? "{\"token\":" : ",{\"token\":").string(e.token(), e.plainToken);
                out.raw(",\"account_list\":").accountList(e.accounts()).raw('}');
              }
              out.raw("]}");
            });
    return new BatchOperateRequest(operation, Collections.unmodifiableList(keys), body);
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
   * Exactly the JSON body that is sent (and signed), e.g. {@code
   * {"operator_type":4,"token_list":["t1"]}}; decoded from the UTF-8 bytes on each call.
   */
  public String toJson() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "BatchOperateRequest{operation=" + operation + ", items=" + keys.size() + "}";
  }
}
