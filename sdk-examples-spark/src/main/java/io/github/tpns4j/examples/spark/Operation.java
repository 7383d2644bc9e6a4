package io.github.tpns4j.examples.spark;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.TokenAccounts;
import java.util.Locale;

/** The four batch operations a migration can run, and what each needs of a row. */
enum Operation {
  OVERWRITE(true, true),
  DELETE_ACCOUNTS(true, true),
  DELETE_ALL_FOR_TOKENS(true, false),
  DELETE_ALL_FOR_ACCOUNTS(false, true);

  final boolean needsToken;
  final boolean needsAccount;

  Operation(boolean needsToken, boolean needsAccount) {
    this.needsToken = needsToken;
    this.needsAccount = needsAccount;
  }

  static Operation parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The bulk item for a row (validated by the SDK's factories), typed as the operation needs. */
  Object item(String token, Account account) {
    switch (this) {
      case DELETE_ALL_FOR_TOKENS:
        return token;
      case DELETE_ALL_FOR_ACCOUNTS:
        return account;
      default:
        return TokenAccounts.of(token, account);
    }
  }

  @SuppressWarnings("unchecked")
  BulkRequest request(Iterable<?> items) {
    switch (this) {
      case DELETE_ALL_FOR_TOKENS:
        return BulkRequest.deleteAllForTokens((Iterable<String>) items);
      case DELETE_ALL_FOR_ACCOUNTS:
        return BulkRequest.deleteAllForAccounts((Iterable<Account>) items);
      case DELETE_ACCOUNTS:
        return BulkRequest.deleteAccounts((Iterable<TokenAccounts>) items);
      default:
        return BulkRequest.overwrite((Iterable<TokenAccounts>) items);
    }
  }
}
