package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountQueryResultTest {
  private static final AccountQueryRequest BY_ACCOUNT =
      AccountQueryRequest.tokensOfAccounts(Account.of("a1"), Account.of("a2"), Account.of("a3"));

  @Test
  void keepsNoLinkToTheListsItWasGiven() {
    List<String> many = new ArrayList<>(Arrays.asList("t1", "t2"));
    List<String> one = new ArrayList<>(Collections.singletonList("t3"));
    Map<String, List<String>> answer = new LinkedHashMap<>();
    answer.put("a1", many);
    answer.put("a2", one);
    answer.put("a3", Collections.singletonList("t4"));

    AccountQueryResult r =
        AccountQueryResult.of(BY_ACCOUNT, 0, "ok", Arrays.asList("0", "0", "0"), answer, null);
    many.add("changed");
    one.clear();
    answer.clear();

    assertThat(r.tokensByAccount().keySet()).containsExactly("a1", "a2", "a3");
    assertThat(r.tokensByAccount())
        .containsEntry("a1", Arrays.asList("t1", "t2"))
        .containsEntry("a2", Collections.singletonList("t3"))
        .containsEntry("a3", Collections.singletonList("t4"));
  }

  @Test
  void itsListsCannotBeChanged() {
    Map<String, List<String>> answer = new LinkedHashMap<>();
    answer.put("a1", new ArrayList<>(Arrays.asList("t1", "t2")));
    answer.put("a2", Collections.singletonList("t3"));
    answer.put("a3", Collections.emptyList());

    AccountQueryResult r =
        AccountQueryResult.of(BY_ACCOUNT, 0, "ok", Arrays.asList("0", "0", "0"), answer, null);

    for (List<String> tokens : r.tokensByAccount().values()) {
      assertThatThrownBy(() -> tokens.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
    assertThatThrownBy(() -> r.tokensByAccount().put("a4", Collections.emptyList()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copiesTheAccountsOfEachToken() {
    AccountQueryRequest byToken = AccountQueryRequest.accountsOfTokens("t1", "t2");
    List<Account> accounts = new ArrayList<>(Arrays.asList(Account.of("a1", 1), Account.of("a2")));
    Map<String, List<Account>> answer = new LinkedHashMap<>();
    answer.put("t2", Collections.singletonList(Account.of("a3")));
    answer.put("t1", accounts);

    AccountQueryResult r =
        AccountQueryResult.of(byToken, 0, "ok", Arrays.asList("0", "0"), null, answer);
    accounts.clear();

    assertThat(r.accountsByToken().keySet()).containsExactly("t1", "t2"); // request order
    assertThat(r.accountsByToken().get("t1"))
        .containsExactly(Account.of("a1", 1), Account.of("a2"));
    assertThat(r.accountsByToken().get("t2")).containsExactly(Account.of("a3"));
  }
}
