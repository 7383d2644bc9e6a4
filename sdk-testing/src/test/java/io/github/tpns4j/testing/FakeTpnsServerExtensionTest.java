package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FakeTpnsServerExtension.class)
class FakeTpnsServerExtensionTest {
  private static FakeTpnsServer first;

  @Test
  void givesEachTestAFreshServer(FakeTpnsServer tpns) {
    assertThat(tpns.accountsOf("t1")).isEmpty();
    try (TpnsClient client = tpns.clientBuilder().build()) {
      client.batchOperate(
          BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("alice"))));
    }
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("alice", 0));
    if (first == null) {
      first = tpns;
    } else {
      assertThat(tpns).isNotSameAs(first);
    }
  }

  @Test
  void givesEachTestAFreshServerAgain(FakeTpnsServer tpns) {
    givesEachTestAFreshServer(tpns);
  }

  private static TpnsClient injected;

  @Test
  void injectsAClientWiredToTheSameFake(TpnsClient client, FakeTpnsServer tpns) {
    client.batchOperate(
        BatchOperateRequest.overwrite(TokenAccounts.of("t9", Account.of("bob", 1))));
    assertThat(tpns.accountsOf("t9")).containsExactly(Account.of("bob", 1));
    assertThat(client.toString()).contains(tpns.accessId()).contains(tpns.baseUrl());
    injected = client;
  }

  @AfterAll
  static void closedTheServers() {
    assertThat(injected).isNotNull();
    assertThat(injected.toString()).contains("closed=true");
    assertThat(first).isNotNull();
    assertThat(first.requestCount()).isEqualTo(1);
    // a closed fake refuses connections
    assertThat(catchConnect(first.baseUrl())).isTrue();
  }

  private static boolean catchConnect(String baseUrl) {
    try {
      new java.net.Socket("127.0.0.1", okhttp3.HttpUrl.get(baseUrl).port()).close();
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
