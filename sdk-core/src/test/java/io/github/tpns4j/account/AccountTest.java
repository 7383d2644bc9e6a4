package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.TpnsValidationException;
import org.junit.jupiter.api.Test;

class AccountTest {
  @Test
  void keepsNameAndOptionalType() {
    assertThat(Account.of("alice").account()).isEqualTo("alice");
    assertThat(Account.of("alice").accountType()).isNull();
    assertThat(Account.of("+8613711112222", AccountType.MOBILE).accountType()).isEqualTo(1002);
  }

  @Test
  void isAValue() {
    assertThat(Account.of("a", 1))
        .isEqualTo(Account.of("a", 1))
        .hasSameHashCodeAs(Account.of("a", 1));
    assertThat(Account.of("a")).isNotEqualTo(Account.of("a", 0)).isNotEqualTo(Account.of("b"));
    assertThat(Account.of("a", 1)).hasToString("Account{account=a, accountType=1}");
    assertThat(Account.of("a")).hasToString("Account{account=a}");
  }

  @Test
  void rejectsNullBlankAndNegative() {
    assertThatThrownBy(() -> Account.of(null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account is null");
    assertThatThrownBy(() -> Account.of(" \t"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account is blank");
    assertThatThrownBy(() -> Account.of("", 1)).isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> Account.of("alice", -1))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_type")
        .hasMessageContaining("-1")
        .hasMessageContaining(">= 0");
  }

  @Test
  void accountTypesFollowTheTpnsTable() {
    assertThat(AccountType.MOBILE).isEqualTo(1002);
    assertThat(AccountType.EMAIL).isEqualTo(1005);
    assertThat(AccountType.WECHAT_OPENID).isEqualTo(1003);
    assertThat(AccountType.QQ).isEqualTo(991);
    assertThat(AccountType.LINKEDIN).isEqualTo(1015);
    assertThat(AccountType.custom(16)).isEqualTo(16);
    assertThatThrownBy(() -> AccountType.custom(17)).isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> AccountType.custom(0)).isInstanceOf(TpnsValidationException.class);
  }
}
