package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Objects;

/**
 * A user account as TPNS knows it: a name and an optional account type. Immutable value.
 *
 * <p>Without a type, {@code account_type} is not sent and TPNS applies its default, 0. Note that
 * {@code Account.of("a")} and {@code Account.of("a", 0)} are different values (one sends the
 * field, the other does not) although TPNS treats them alike.
 */
public final class Account {
  private final String account;
  private final Integer accountType;

  private Account(String account, Integer accountType) {
    this.account = account;
    this.accountType = accountType;
  }

  /**
   * An account without a type ({@code account_type} is not sent; TPNS uses 0).
   *
   * @throws TpnsValidationException when {@code account} is null or blank
   */
  public static Account of(String account) {
    return new Account(Checks.nonBlank("account", account), null);
  }

  /**
   * An account with a type, e.g. {@code Account.of("+8613711112222", AccountType.MOBILE)}.
   *
   * @param accountType 0 (default), 1-16 (custom), or a value of {@link AccountType}
   * @throws TpnsValidationException when {@code account} is null or blank, or {@code accountType}
   *     is negative
   */
  public static Account of(String account, int accountType) {
    Checks.nonBlank("account", account);
    if (accountType < 0) {
      throw new TpnsValidationException(
          "account_type of account \"" + account + "\" is " + accountType
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
    return accountType;
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
    return account.equals(other.account) && Objects.equals(accountType, other.accountType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, accountType);
  }

  @Override
  public String toString() {
    return accountType == null
        ? "Account{account=" + account + "}"
        : "Account{account=" + account + ", accountType=" + accountType + "}";
  }
}
