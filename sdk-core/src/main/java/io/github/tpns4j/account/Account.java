package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;

/**
 * A user account as TPNS knows it: a name and an optional account type. Immutable value.
 *
 * <p>Without a type, {@code account_type} is not sent and TPNS applies its default, 0. Note that
 * {@code Account.of("a")} and {@code Account.of("a", 0)} are different values (one sends the field,
 * the other does not) although TPNS treats them alike. TPNS, and the fake server of {@code
 * tpns4j-testing}, answer with the type they stored: a binding made with {@code Account.of("a")}
 * reads back as {@code Account.of("a", 0)}, so assert against the fake with {@code
 * containsExactly(Account.of("a", 0))}.
 */
public final class Account {
  private static final int NO_TYPE = -1;

  private final String account;
  private final int type; // NO_TYPE when unset: no boxing on the hot path

  private Account(String account, int type) {
    this.account = account;
    this.type = type;
  }

  /**
   * An account without a type ({@code account_type} is not sent; TPNS uses 0).
   *
   * @throws TpnsValidationException when {@code account} is null or blank
   */
  public static Account of(String account) {
    Checks.text("account", account);
    return new Account(account, NO_TYPE);
  }

  /**
   * An account with a type, e.g. {@code Account.of("+8613711112222", AccountType.MOBILE)}.
   *
   * @param accountType 0 (default), 1-16 (custom), or a value of {@link AccountType}
   * @throws TpnsValidationException when {@code account} is null or blank, or {@code accountType}
   *     is negative
   */
  public static Account of(String account, int accountType) {
    Checks.text("account", account);
    if (accountType < 0) {
      throw new TpnsValidationException(
          "account_type of account \""
              + account
              + "\" is "
              + accountType
              + "; it must be >= 0 (0 is the default, see AccountType)");
    }
    return new Account(account, accountType);
  }

  /** The account name, never null or blank. */
  public String account() {
    return account;
  }

  /** The account type, or null when none was set (then TPNS uses 0). */
  public Integer accountType() {
    return type == NO_TYPE ? null : Integer.valueOf(type);
  }

  boolean hasType() {
    return type != NO_TYPE;
  }

  /** The type, or -1 when unset. */
  int type() {
    return type;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Account)) {
      return false;
    }
    Account other = (Account) o;
    return type == other.type && account.equals(other.account);
  }

  @Override
  public int hashCode() {
    return 31 * account.hashCode() + type;
  }

  @Override
  public String toString() {
    return type == NO_TYPE
        ? "Account{account=" + account + "}"
        : "Account{account=" + account + ", accountType=" + type + "}";
  }
}
