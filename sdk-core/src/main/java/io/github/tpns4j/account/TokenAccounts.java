package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** One push token and the accounts to bind to it (or unbind from it). Immutable value. */
public final class TokenAccounts {
  private final String token;
  private final List<Account> accounts;

  private TokenAccounts(String token, List<Account> accounts) {
    this.token = token;
    this.accounts = accounts;
  }

  /**
   * A token with one or more accounts.
   *
   * @throws TpnsValidationException when the token is null or blank, or the accounts are empty or
   *     contain null
   */
  public static TokenAccounts of(String token, Account... accounts) {
    nonNull(token, accounts);
    return of(token, Arrays.asList(accounts));
  }

  /**
   * A token with one or more accounts; the collection is copied.
   *
   * @throws TpnsValidationException when the token is null or blank, or the accounts are null,
   *     empty or contain null
   */
  public static TokenAccounts of(String token, Collection<Account> accounts) {
    Checks.text("token", token);
    nonNull(token, accounts);
    // Checked on the copy: a collection that changes or misreports its size cannot get past.
    Account[] copy = accounts.toArray(new Account[0]);
    if (copy.length == 0) {
      throw new TpnsValidationException(
          "account_list of token \""
              + token
              + "\" is empty; every token needs at least one account");
    }
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == null) {
        throw new TpnsValidationException(
            "account_list[" + i + "] of token \"" + token + "\" is null");
      }
    }
    return new TokenAccounts(
        token,
        copy.length == 1
            ? Collections.singletonList(copy[0])
            : Collections.unmodifiableList(Arrays.asList(copy)));
  }

  /** The message names the token only when it is needed, not for every entry of every call. */
  private static void nonNull(String token, Object accounts) {
    if (accounts == null) {
      throw new TpnsValidationException("account_list of token \"" + token + "\" is null");
    }
  }

  /** The push token. */
  public String token() {
    return token;
  }

  /** The accounts, in the order given; unmodifiable, never empty. */
  public List<Account> accounts() {
    return accounts;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TokenAccounts)) {
      return false;
    }
    TokenAccounts other = (TokenAccounts) o;
    return token.equals(other.token) && accounts.equals(other.accounts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, accounts);
  }

  @Override
  public String toString() {
    return "TokenAccounts{token=" + token + ", accounts=" + accounts + "}";
  }
}
