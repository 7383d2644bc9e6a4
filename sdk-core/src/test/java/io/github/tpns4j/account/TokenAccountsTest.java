package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenAccountsTest {
  @Test
  void copiesItsAccounts() {
    List<Account> accounts = new ArrayList<>(Arrays.asList(Account.of("a"), Account.of("b", 2)));
    TokenAccounts ta = TokenAccounts.of("t1", accounts);
    accounts.clear();
    assertThat(ta.token()).isEqualTo("t1");
    assertThat(ta.accounts()).containsExactly(Account.of("a"), Account.of("b", 2));
    assertThatThrownBy(() -> ta.accounts().add(Account.of("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void isAValue() {
    assertThat(TokenAccounts.of("t", Account.of("a")))
        .isEqualTo(TokenAccounts.of("t", Account.of("a")))
        .hasSameHashCodeAs(TokenAccounts.of("t", Account.of("a")))
        .isNotEqualTo(TokenAccounts.of("u", Account.of("a")))
        .hasToString("TokenAccounts{token=t, accounts=[Account{account=a}]}");
  }

  @Test
  void rejectsBadTokensAndAccountLists() {
    assertThatThrownBy(() -> TokenAccounts.of(null, Account.of("a")))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token is null");
    assertThatThrownBy(() -> TokenAccounts.of("  ", Account.of("a")))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token is blank");
    assertThatThrownBy(() -> TokenAccounts.of("t1"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list of token \"t1\" is empty");
    assertThatThrownBy(() -> TokenAccounts.of("t1", Collections.emptyList()))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> TokenAccounts.of("t1", (Account[]) null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessage("account_list of token \"t1\" is null");
    assertThatThrownBy(() -> TokenAccounts.of("t1", (List<Account>) null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessage("account_list of token \"t1\" is null");
    assertThatThrownBy(() -> TokenAccounts.of(null, (Account[]) null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessage("account_list of token \"null\" is null");
    assertThatThrownBy(() -> TokenAccounts.of("t1", Account.of("a"), null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list[1] of token \"t1\" is null");
  }
}
