package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What it takes to bring one account's bindings in TPNS in line with what the app wants: the tokens
 * to bind (wanted, not held) and the tokens to unbind (held, not wanted). The rest of a reconcile
 * is {@code bulkQuery} for the accounts' actual tokens and two {@code bulkOperate} runs:
 *
 * <pre>{@code
 * client.bulkQuery(BulkQueryRequest.tokensOfAccounts(wanted.keySet()), (account, actual) -> {
 *   AccountDiff diff = AccountDiff.of(account, wanted.get(account), actual);
 *   binds.addAll(diff.binds());     // BulkRequest.overwrite(binds)
 *   unbinds.addAll(diff.unbinds()); // BulkRequest.deleteAccounts(unbinds)
 * });
 * }</pre>
 *
 * <p>Both changes touch only this account on those tokens: a bind is an overwrite, so it replaces
 * the token's account of the same {@code account_type} (one per type per token, in TPNS), and an
 * unbind deletes this account from the token, leaving its other accounts. Both are idempotent and
 * commute, so applying a plan twice, or a plan computed while earlier writes were still being
 * applied by TPNS, does no harm.
 */
public final class AccountDiff {
  private final Account account;
  private final List<String> toBind;
  private final List<String> toUnbind;

  private AccountDiff(Account account, List<String> toBind, List<String> toUnbind) {
    this.account = account;
    this.toBind = toBind;
    this.toUnbind = toUnbind;
  }

  /**
   * The difference for {@code account}.
   *
   * @param wanted the tokens the app wants bound to it (its own truth); repeats count once
   * @param actual the tokens TPNS holds for it, as {@code bulkQuery} answered; repeats count once
   * @throws TpnsValidationException when an argument or a token is null
   */
  public static AccountDiff of(
      Account account, Collection<String> wanted, Collection<String> actual) {
    if (account == null || wanted == null || actual == null) {
      throw new TpnsValidationException("account, wanted and actual must not be null");
    }
    Set<String> want = tokens(wanted, "wanted");
    Set<String> have = tokens(actual, "actual");
    List<String> bind = new ArrayList<>();
    for (String t : want) {
      if (!have.contains(t)) {
        bind.add(t);
      }
    }
    List<String> unbind = new ArrayList<>();
    for (String t : have) {
      if (!want.contains(t)) {
        unbind.add(t);
      }
    }
    return new AccountDiff(
        account, Collections.unmodifiableList(bind), Collections.unmodifiableList(unbind));
  }

  private static Set<String> tokens(Collection<String> tokens, String what) {
    Set<String> out = new LinkedHashSet<>(tokens.size() * 2);
    for (String t : tokens) {
      if (t == null) {
        throw new TpnsValidationException(what + " holds a null token");
      }
      out.add(t);
    }
    return out;
  }

  /** The account compared. */
  public Account account() {
    return account;
  }

  /** Tokens wanted for the account that TPNS does not hold, in the order wanted. */
  public List<String> toBind() {
    return toBind;
  }

  /** Tokens TPNS holds for the account that are not wanted, in the order TPNS answered. */
  public List<String> toUnbind() {
    return toUnbind;
  }

  /** Whether TPNS already agrees with what is wanted. */
  public boolean isEmpty() {
    return toBind.isEmpty() && toUnbind.isEmpty();
  }

  /**
   * {@link #toBind()} as entries for {@code BulkRequest.overwrite}: each token with this account.
   */
  public List<TokenAccounts> binds() {
    return entries(toBind);
  }

  /**
   * {@link #toUnbind()} as entries for {@code BulkRequest.deleteAccounts}: each token with this
   * account.
   */
  public List<TokenAccounts> unbinds() {
    return entries(toUnbind);
  }

  private List<TokenAccounts> entries(List<String> tokens) {
    List<TokenAccounts> out = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      out.add(TokenAccounts.of(t, account));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return "AccountDiff{account="
        + account
        + ", toBind="
        + toBind.size()
        + ", toUnbind="
        + toUnbind.size()
        + "}";
  }
}
