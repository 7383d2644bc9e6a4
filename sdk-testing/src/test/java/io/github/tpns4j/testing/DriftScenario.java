package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reconcile scenario every way in is tested with (API, tool, Spark job): {@code n} accounts the
 * app wants bound, and a TPNS that drifted from it, 5 % of the accounts for each kind of drift.
 * Account {@code user-i} (type 1005 for even i, 1 for odd) wants {@code tok-i-0}, and {@code
 * tok-i-1} too when i is a multiple of 4. By {@code i % 20}:
 *
 * <ul>
 *   <li>1, missing: TPNS does not hold {@code tok-i-0} for it (nor knows the account at all);
 *   <li>2, stale: TPNS also holds {@code stale-i} for it, which the app does not want;
 *   <li>3, wrong account of a type: TPNS holds {@code tok-i-0} for {@code intruder-i}, of the same
 *       type, which the app does not mention;
 *   <li>4, a bystander: {@code bystander-i} (type 7, not mentioned) shares {@code tok-i-0}: it must
 *       stay.
 * </ul>
 *
 * So the plan is exactly: bind {@code tok-i-0} to {@code user-i} for i % 20 in {1, 3}, and unbind
 * {@code stale-i} from {@code user-i} for i % 20 == 2.
 */
public final class DriftScenario {
  public final int accounts;

  public DriftScenario(int accounts) {
    this.accounts = accounts;
  }

  public static Account user(int i) {
    return Account.of("user-" + i, i % 2 == 0 ? 1005 : 1);
  }

  public static List<String> wantedTokens(int i) {
    List<String> t = new ArrayList<>();
    t.add("tok-" + i + "-0");
    if (i % 4 == 0) {
      t.add("tok-" + i + "-1");
    }
    return t;
  }

  /** The app's truth: every account's wanted tokens. */
  public Map<Account, List<String>> wanted() {
    Map<Account, List<String>> w = new LinkedHashMap<>();
    for (int i = 0; i < accounts; i++) {
      w.put(user(i), wantedTokens(i));
    }
    return w;
  }

  /** The wanted bindings as CSV rows {@code token,account,account_type}, with a header. */
  public String wantedCsv() {
    StringBuilder s = new StringBuilder("token,account,account_type\n");
    for (int i = 0; i < accounts; i++) {
      Account a = user(i);
      for (String t : wantedTokens(i)) {
        s.append(t)
            .append(',')
            .append(a.account())
            .append(',')
            .append(a.accountType())
            .append('\n');
      }
    }
    return s.toString();
  }

  /** TPNS as it drifted. */
  public void seed(FakeTpnsServer tpns) {
    for (int i = 0; i < accounts; i++) {
      Account a = user(i);
      List<String> tokens = wantedTokens(i);
      for (int k = 0; k < tokens.size(); k++) {
        int kind = i % 20;
        if (k == 0 && kind == 1) {
          continue;
        }
        tpns.bind(
            tokens.get(k), k == 0 && kind == 3 ? Account.of("intruder-" + i, a.accountType()) : a);
      }
      if (i % 20 == 2) {
        tpns.bind("stale-" + i, a);
      }
      if (i % 20 == 4) {
        tpns.bind("tok-" + i + "-0", Account.of("bystander-" + i, 7));
      }
    }
  }

  /** The binds the plan must hold, as {@code token|account|type}. */
  public Set<String> expectedBinds() {
    Set<String> s = new LinkedHashSet<>();
    for (int i = 0; i < accounts; i++) {
      if (i % 20 == 1 || i % 20 == 3) {
        s.add(key("tok-" + i + "-0", user(i)));
      }
    }
    return s;
  }

  /** The unbinds the plan must hold, as {@code token|account|type}. */
  public Set<String> expectedUnbinds() {
    Set<String> s = new LinkedHashSet<>();
    for (int i = 0; i < accounts; i++) {
      if (i % 20 == 2) {
        s.add(key("stale-" + i, user(i)));
      }
    }
    return s;
  }

  public static String key(String token, Account a) {
    return token + "|" + a.account() + "|" + (a.accountType() == null ? 0 : a.accountType());
  }

  /** TPNS now agrees with the app, and the accounts it did not mention are as they were. */
  public void assertConverged(FakeTpnsServer tpns) {
    for (int i = 0; i < accounts; i++) {
      assertThat(tpns.tokensOf(user(i)))
          .as("user-%d", i)
          .containsExactlyInAnyOrderElementsOf(wantedTokens(i));
      if (i % 20 == 3) {
        assertThat(tpns.tokensOf(Account.of("intruder-" + i, user(i).accountType()))).isEmpty();
      }
      if (i % 20 == 4) {
        assertThat(tpns.tokensOf(Account.of("bystander-" + i, 7)))
            .containsExactly("tok-" + i + "-0");
      }
    }
  }
}
