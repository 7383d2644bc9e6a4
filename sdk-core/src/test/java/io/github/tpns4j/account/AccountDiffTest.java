package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.TpnsValidationException;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class AccountDiffTest {
  private static final Account ALICE = Account.of("alice", 1005);

  @Test
  void bindsWhatIsWantedAndMissingAndUnbindsWhatIsHeldAndUnwanted() {
    AccountDiff d =
        AccountDiff.of(ALICE, Arrays.asList("t1", "t2", "t2", "t3"), Arrays.asList("t4", "t2"));
    assertThat(d.toBind()).containsExactly("t1", "t3");
    assertThat(d.toUnbind()).containsExactly("t4");
    assertThat(d.binds())
        .containsExactly(TokenAccounts.of("t1", ALICE), TokenAccounts.of("t3", ALICE));
    assertThat(d.unbinds()).containsExactly(TokenAccounts.of("t4", ALICE));
    assertThat(d.isEmpty()).isFalse();
  }

  @Test
  void agreementIsEmptyAndAnAccountTpnsDoesNotKnowGetsEveryWantedToken() {
    assertThat(AccountDiff.of(ALICE, Arrays.asList("a", "b"), Arrays.asList("b", "a")).isEmpty())
        .isTrue();
    assertThat(AccountDiff.of(ALICE, Arrays.asList("a"), Collections.emptyList()).toBind())
        .containsExactly("a");
    assertThat(AccountDiff.of(ALICE, Collections.emptyList(), Arrays.asList("a")).toUnbind())
        .containsExactly("a");
  }

  @Test
  void refusesNulls() {
    assertThatThrownBy(() -> AccountDiff.of(null, Collections.emptyList(), Collections.emptyList()))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(
            () -> AccountDiff.of(ALICE, Arrays.asList("a", null), Collections.emptyList()))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("wanted");
  }
}
