package io.github.tpns4j.account;

import io.github.tpns4j.ResultCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome for one token (or, for operation 5, one account) of a call. Immutable value. */
public final class ItemResult {
  /**
   * The code of a key that a query's answer did not mention, though the call succeeded: it was not
   * answered, so nothing is known of its bindings (it is not "no bindings"). {@code bulkQuery} asks
   * for such a key again, alone, and reports it with this code only when the answer to that leaves
   * it out too.
   */
  public static final String NOT_IN_ANSWER = "not_in_answer";

  /** TPNS's code for a token or account it does not know (on a query: no bindings). */
  static final String NOT_FOUND = "10110008";

  private final String key;
  private final String code;
  private final Account account; // operation 5 only

  private ItemResult(String key, String code, Account account) {
    this.key = key;
    this.code = code;
    this.account = account;
  }

  /**
   * An item outcome; public so that tests of code that consumes results can build them.
   *
   * @param key the token, or the account name for operation 5
   * @param code the server's per-item code as received, or null when it cannot be attributed
   */
  public static ItemResult of(String key, String code) {
    return new ItemResult(Objects.requireNonNull(key, "key"), code, null);
  }

  /**
   * The outcome for one account of an operation-5 call ({@link
   * BatchOperateRequest#deleteAllForAccounts}): keyed by the account's name, with {@link
   * #account()} telling apart two accounts of that name under different types.
   *
   * @param code the server's per-item code as received, or null when it cannot be attributed
   */
  public static ItemResult of(Account account, String code) {
    Objects.requireNonNull(account, "account");
    return new ItemResult(account.account(), code, account);
  }

  /** This item with another code. */
  ItemResult withCode(String code) {
    return new ItemResult(key, code, account);
  }

  /** The server's {@code result} array as an unmodifiable copy; empty for null. */
  static List<String> copyRaw(List<String> result) {
    return result == null || result.isEmpty()
        ? Collections.<String>emptyList()
        : Collections.unmodifiableList(new ArrayList<>(result));
  }

  /**
   * Pairs per-item codes with the keys they answer: in order when there is one code per key;
   * otherwise every item succeeds when {@code retCode} is 0 (TPNS's documented {@code ["0"]} for
   * two tokens) and gets a null code when it is not, so that nothing is guessed.
   */
  static List<ItemResult> pair(
      List<String> keys, List<Account> accounts, List<String> codes, int retCode) {
    boolean paired = codes.size() == keys.size();
    String unpaired = retCode == 0 ? "0" : null;
    List<ItemResult> items = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      items.add(
          new ItemResult(
              keys.get(i),
              paired ? codes.get(i) : unpaired,
              accounts == null ? null : accounts.get(i)));
    }
    return Collections.unmodifiableList(items);
  }

  /** The token, or the account name for {@link BatchOperation#DELETE_ALL_FOR_ACCOUNTS}. */
  public String key() {
    return key;
  }

  /**
   * The server's code for this item as received: {@code "0"} (or {@code "ok"} from older servers)
   * on success, e.g. {@code "1008006"} for an unregistered token. Null when the answer cannot be
   * attributed to this item (a result array whose length does not match the request, or a call that
   * failed as a whole).
   */
  public String code() {
    return code;
  }

  /**
   * For operation 5 ({@link BatchOperateRequest#deleteAllForAccounts}), the account (name and type)
   * this item is about, so that {@code alice} under two account types gives two distinguishable
   * items; empty for operations 1-4, whose key is a token.
   */
  public Optional<Account> account() {
    return Optional.ofNullable(account);
  }

  /** Whether the item succeeded: its code is {@code "0"} or {@code "ok"}. */
  public boolean isSuccess() {
    return code != null && ("0".equals(code) || "ok".equalsIgnoreCase(code));
  }

  /**
   * Whether sending this item again unchanged may succeed: it failed without an answer ({@code
   * code()} is null: no answer, a call that failed as a whole without a TPNS body, or never sent
   * because a run stopped), or with a code that {@link ResultCode#isRetryable()} (1008004,
   * 1008028). False for a success, and for codes that need a fix first, such as {@code 1008006}
   * (token not registered) or {@code 1008007} (e.g. an account already bound to 100 tokens).
   */
  public boolean isRetryable() {
    return !isSuccess() && (code == null || resultCode().isRetryable());
  }

  /** The typed view of {@link #code()}: {@link ResultCode#UNKNOWN} when null or undocumented. */
  public ResultCode resultCode() {
    return ResultCode.of(code);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ItemResult)) {
      return false;
    }
    ItemResult other = (ItemResult) o;
    return key.equals(other.key)
        && Objects.equals(code, other.code)
        && Objects.equals(account, other.account);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, code, account);
  }

  @Override
  public String toString() {
    return account == null
        ? "ItemResult{key=" + key + ", code=" + code + "}"
        : "ItemResult{account=" + account + ", code=" + code + "}";
  }
}
