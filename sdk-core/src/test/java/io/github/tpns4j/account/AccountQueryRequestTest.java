package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.Fixtures;
import io.github.tpns4j.TpnsValidationException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AccountQueryRequestTest {
  @Test
  void writesTheDocumentedExamples() {
    AccountQueryRequest byAccount =
        AccountQueryRequest.tokensOfAccounts(Account.of("account1"), Account.of("account2", 1));
    assertThat(Fixtures.tree(byAccount.toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("query-type1-documented.json")));
    assertThat(byAccount.toJson())
        .isEqualTo(
            "{\"operator_type\":1,\"account_list\":[{\"account\":\"account1\"},{\"account\":\"account2\",\"account_type\":1}]}");
    assertThat(byAccount.operatorType()).isEqualTo(1);
    assertThat(byAccount.keys()).containsExactly("account1", "account2");
    AccountQueryRequest byToken = AccountQueryRequest.accountsOfTokens("token1", "token2");
    assertThat(byToken.toJson())
        .isEqualTo("{\"operator_type\":2,\"token_list\":[\"token1\",\"token2\"]}");
    assertThat(Fixtures.tree(byToken.toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("query-type2-documented.json")));
    assertThat(AccountQueryRequest.accountsOfTokens(Collections.singletonList("t")).keys())
        .containsExactly("t");
    assertThat(
            AccountQueryRequest.tokensOfAccounts(Collections.singletonList(Account.of("a")))
                .toString())
        .contains("operatorType=1");
  }

  @Test
  void validatesLikeBatchRequests() {
    List<String> many = IntStream.range(0, 21).mapToObj(i -> "t" + i).collect(Collectors.toList());
    assertThatThrownBy(() -> AccountQueryRequest.accountsOfTokens(many))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list has 21 tokens");
    assertThatThrownBy(() -> AccountQueryRequest.accountsOfTokens())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list is empty");
    assertThatThrownBy(() -> AccountQueryRequest.accountsOfTokens("a", ""))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list[1] is blank");
    assertThatThrownBy(() -> AccountQueryRequest.accountsOfTokens("a", "a"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("at most once per query");
    assertThatThrownBy(() -> AccountQueryRequest.accountsOfTokens((String[]) null))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> AccountQueryRequest.tokensOfAccounts(Account.of("a"), null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list[1] is null");
    assertThatThrownBy(
            () -> AccountQueryRequest.tokensOfAccounts(Account.of("a", 1), Account.of("a", 2)))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account name appears at most once");
    assertThatThrownBy(() -> AccountQueryRequest.tokensOfAccounts((Account[]) null))
        .isInstanceOf(TpnsValidationException.class);
    assertThat(
            AccountQueryRequest.tokensOfAccounts(Arrays.asList(Account.of("a"), Account.of("b")))
                .keys())
        .hasSize(2);
  }
}
