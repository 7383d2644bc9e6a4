package io.github.tpns4j.testing;

import io.github.tpns4j.account.Account;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fake's binding state, with the rules TPNS documents: one account per account type per token
 * (an unset type is 0), at most 100 tokens per account. Thread-safe: every method holds the lock.
 */
final class Bindings {
  static final int MAX_TOKENS_PER_ACCOUNT = 100;

  /** Per-item code for a token not registered, when registration is required. */
  static final String UNREGISTERED = "1008006";

  /**
   * Per-item code when binding would give an account its 101st token. TPNS documents the limit
   * (Android SDK account documentation) but not its code; the fake answers "parameter validation
   * failed".
   */
  static final String TOO_MANY_TOKENS = "1008007";

  static final String OK = "0";

  private final Map<String, TreeMap<Integer, String>> byToken = new HashMap<>();
  private final Map<Account, LinkedHashSet<String>> byAccount = new HashMap<>();
  private final Set<String> registered = new HashSet<>();
  private boolean requireRegistered;

  static Account typed(Account a) {
    return a.accountType() == null ? Account.of(a.account(), 0) : a;
  }

  synchronized void register(String token) {
    registered.add(token);
  }

  synchronized void requireRegistered(boolean require) {
    this.requireRegistered = require;
  }

  synchronized boolean isKnown(String token) {
    return registered.contains(token) || byToken.containsKey(token);
  }

  private boolean refused(String token) {
    return requireRegistered && !registered.contains(token);
  }

  /** Operations 1 and 2: bind each account, replacing the token's account of the same type. */
  synchronized String overwrite(String token, List<Account> accounts) {
    if (refused(token)) {
      return UNREGISTERED;
    }
    for (Account a : accounts) {
      Set<String> tokens = byAccount.get(typed(a));
      if (tokens != null && tokens.size() >= MAX_TOKENS_PER_ACCOUNT && !tokens.contains(token)) {
        return TOO_MANY_TOKENS;
      }
    }
    for (Account a : accounts) {
      Account key = typed(a);
      TreeMap<Integer, String> types = byToken.computeIfAbsent(token, t -> new TreeMap<>());
      String previous = types.put(key.accountType(), key.account());
      if (previous != null && !previous.equals(key.account())) {
        unlink(Account.of(previous, key.accountType()), token);
      }
      byAccount.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(token);
    }
    return OK;
  }

  /** Operation 3: remove the listed accounts from the token. */
  synchronized String deleteAccounts(String token, List<Account> accounts) {
    if (refused(token)) {
      return UNREGISTERED;
    }
    for (Account a : accounts) {
      Account key = typed(a);
      TreeMap<Integer, String> types = byToken.get(token);
      if (types != null && key.account().equals(types.get(key.accountType()))) {
        types.remove(key.accountType());
        unlink(key, token);
        if (types.isEmpty()) {
          byToken.remove(token);
        }
      }
    }
    return OK;
  }

  /** Operation 4: remove every account of the token. */
  synchronized String deleteAllForToken(String token) {
    if (refused(token)) {
      return UNREGISTERED;
    }
    TreeMap<Integer, String> types = byToken.remove(token);
    if (types != null) {
      for (Map.Entry<Integer, String> e : types.entrySet()) {
        unlink(Account.of(e.getValue(), e.getKey()), token);
      }
    }
    return OK;
  }

  /** Operation 5: remove the account (its type; unset is 0) from every token. */
  synchronized String deleteAllForAccount(Account account) {
    Account key = typed(account);
    Set<String> tokens = byAccount.remove(key);
    if (tokens != null) {
      for (String token : tokens) {
        TreeMap<Integer, String> types = byToken.get(token);
        types.remove(key.accountType());
        if (types.isEmpty()) {
          byToken.remove(token);
        }
      }
    }
    return OK;
  }

  private void unlink(Account key, String token) {
    Set<String> tokens = byAccount.get(key);
    if (tokens != null) {
      tokens.remove(token);
      if (tokens.isEmpty()) {
        byAccount.remove(key);
      }
    }
  }

  /** The token's accounts with explicit types, ordered by type; empty when none. */
  synchronized Set<Account> accountsOf(String token) {
    TreeMap<Integer, String> types = byToken.get(token);
    if (types == null) {
      return Collections.emptySet();
    }
    Set<Account> out = new LinkedHashSet<>();
    for (Map.Entry<Integer, String> e : types.entrySet()) {
      out.add(Account.of(e.getValue(), e.getKey()));
    }
    return Collections.unmodifiableSet(out);
  }

  /** The account's tokens in binding order; an unset type means 0. */
  synchronized Set<String> tokensOf(Account account) {
    Set<String> tokens = byAccount.get(typed(account));
    return tokens == null
        ? Collections.<String>emptySet()
        : Collections.unmodifiableSet(new LinkedHashSet<>(tokens));
  }
}
