package io.github.tpns4j.examples.guides;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.testing.FakeTpnsServer;
import io.github.tpns4j.testing.FakeTpnsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The snippets of docs/testing.md, run as the guide shows them. */
class TestingGuideTest {
  /** The app's own code under test in the guide. */
  static final class LoginService {
    private final TpnsClient client;

    LoginService(TpnsClient client) {
      this.client = client;
    }

    void onLogin(String token, String user) {
      client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of(token, Account.of(user))));
    }

    static void onLogin(TpnsClient client, String token, String user) {
      new LoginService(client).onLogin(token, user);
    }
  }

  @Test
  void theFakeByHand() {
    try (FakeTpnsServer tpns = FakeTpnsServer.start();
        TpnsClient client = tpns.clientBuilder().build()) { // its credentials and base URL
      LoginService.onLogin(client, "token-1", "alice@example.com");
      assertThat(tpns.accountsOf("token-1")).containsExactly(Account.of("alice@example.com", 0));
    }
  }

  @ExtendWith(FakeTpnsServerExtension.class)
  @org.junit.jupiter.api.Nested
  class LoginTest {
    @Test
    void bindsTheUser(TpnsClient client, FakeTpnsServer tpns) {
      new LoginService(client).onLogin("token-1", "alice@example.com");
      assertThat(tpns.accountsOf("token-1")).containsExactly(Account.of("alice@example.com", 0));
    }
  }
}
