package io.github.tpns4j.testing;

import io.github.tpns4j.account.Account;
import java.util.ArrayList;
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
  /** An account as the fake keeps it: a name and a type, unset meaning 0. */
  static final class Key {
    final String name;
    final int type;

    Key(String name, int type) {
      this.name = name;
      this.type = type;
    }

    static Key of(Account a) {
      return new Key(a.account(), a.accountType() == null ? 0 : a.accountType());
    }

    /** The public view; the fake's own checks accept nothing that {@code Account.of} refuses. */
    Account toAccount() {
      return Account.of(name, type);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).type == type && ((Key) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + type;
    }
  }

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
  private final Map<Key, LinkedHashSet<String>> byAccount = new HashMap<>();
  private final Set<String> registered = new HashSet<>();
  private boolean requireRegistered;

  synchronized void register(String token) {
    registered.add(token);
  }

  synchronized void requireRegistered(boolean require) {
    this.requireRegistered = require;
  }

  synchronized boolean isKnown(String token) {
    return registered.contains(token) || byToken.containsKey(token);
  }

  /** Whether a write to the token would be refused now as unregistered. */
  synchronized boolean refusedNow(String token) {
    return refused(token);
  }

  private boolean refused(String token) {
    return requireRegistered && !registered.contains(token);
  }

  /** Operations 1 and 2: bind each account, replacing the token's account of the same type. */
  synchronized String overwrite(String token, List<Key> accounts) {
    if (refused(token)) {
      return UNREGISTERED;
    }
    for (Key key : accounts) {
      Set<String> tokens = byAccount.get(key);
      if (tokens != null && tokens.size() >= MAX_TOKENS_PER_ACCOUNT && !tokens.contains(token)) {
        return TOO_MANY_TOKENS;
      }
    }
    for (Key key : accounts) {
      TreeMap<Integer, String> types = byToken.computeIfAbsent(token, t -> new TreeMap<>());
      String previous = types.put(key.type, key.name);
      if (previous != null && !previous.equals(key.name)) {
        unlink(new Key(previous, key.type), token);
      }
      byAccount.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(token);
    }
    return OK;
  }

  /** Operation 3: remove the listed accounts from the token. */
  synchronized String deleteAccounts(String token, List<Key> accounts) {
    if (refused(token)) {
      return UNREGISTERED;
    }
    for (Key key : accounts) {
      TreeMap<Integer, String> types = byToken.get(token);
      if (types != null && key.name.equals(types.get(key.type))) {
        types.remove(key.type);
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
        unlink(new Key(e.getValue(), e.getKey()), token);
      }
    }
    return OK;
  }

  /** Operation 5: remove the account (its type; unset is 0) from every token. */
  synchronized String deleteAllForAccount(Key key) {
    Set<String> tokens = byAccount.remove(key);
    if (tokens != null) {
      for (String token : tokens) {
        TreeMap<Integer, String> types = byToken.get(token);
        types.remove(key.type);
        if (types.isEmpty()) {
          byToken.remove(token);
        }
      }
    }
    return OK;
  }

  private void unlink(Key key, String token) {
    Set<String> tokens = byAccount.get(key);
    if (tokens != null) {
      tokens.remove(token);
      if (tokens.isEmpty()) {
        byAccount.remove(key);
      }
    }
  }

  /** The token's accounts with explicit types, ordered by type; empty when none. */
  synchronized List<Key> accountsOf(String token) {
    TreeMap<Integer, String> types = byToken.get(token);
    if (types == null) {
      return Collections.emptyList();
    }
    List<Key> out = new ArrayList<>(types.size());
    for (Map.Entry<Integer, String> e : types.entrySet()) {
      out.add(new Key(e.getValue(), e.getKey()));
    }
    return out;
  }

  /** Every token's accounts, as {@link #accountsOf} gives them. */
  synchronized Map<String, List<Key>> all() {
    Map<String, List<Key>> out = new HashMap<>();
    for (String token : byToken.keySet()) {
      out.put(token, accountsOf(token));
    }
    return out;
  }

  /** The account's tokens in binding order. */
  synchronized Set<String> tokensOf(Key account) {
    Set<String> tokens = byAccount.get(account);
    return tokens == null
        ? Collections.<String>emptySet()
        : Collections.unmodifiableSet(new LinkedHashSet<>(tokens));
  }
}
