package io.github.tpns4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencent.xinge.XingeApp;
import com.tencent.xinge.bean.AccountType;
import com.tencent.xinge.device.account.AccountBindOperatorType;
import com.tencent.xinge.device.account.AccountBindRequest;
import com.tencent.xinge.device.account.AccountTypePair;
import com.tencent.xinge.device.account.TokenAccountsPair;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.LegacyAccountType;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The README's "Coming from the official SDK", run: a binding made by the official SDK itself
 * ({@code io.github.tpnsPush:xinge}) with its {@code AccountType.email}, then removed the tpns4j
 * way the guide shows, against the fake.
 */
class ComingFromTheOfficialSdkTest {
  @Test
  void aBindingTheOfficialSdkMadeIsRemovedWithItsLegacyAccountType() {
    try (FakeTpnsServer fake = FakeTpnsServer.start();
        TpnsClient tpns = fake.clientBuilder().build()) {
      XingeApp xinge =
          new XingeApp.Builder()
              .appId(fake.accessId())
              .secretKey(fake.secretKey())
              .domainUrl(fake.baseUrl())
              .useSignAuth(true)
              .build();
      AccountTypePair email = new AccountTypePair();
      email.setAccount("alice@example.com");
      email.setAccountType(AccountType.email.getType());
      TokenAccountsPair pair = new TokenAccountsPair();
      pair.setToken("device-1");
      pair.setAccountList(new ArrayList<>(List.of(email)));
      AccountBindRequest bind = new AccountBindRequest();
      bind.setOperatorType(AccountBindOperatorType.BatchCoverAccount);
      bind.setTokenAccounts(new ArrayList<>(List.of(pair)));
      JSONObject answer = xinge.accountBind(bind);
      assertThat(answer.getInt("ret_code")).as(answer.toString()).isZero();
      assertThat(fake.accountsOf("device-1"))
          .containsExactly(Account.of("alice@example.com", LegacyAccountType.EMAIL));

      // The trap: tpns4j's AccountType.EMAIL is TPNS's 1005; the official SDK sent 2.
      tpns.batchOperate(
          BatchOperateRequest.deleteAccounts(
              TokenAccounts.of(
                  "device-1",
                  Account.of("alice@example.com", io.github.tpns4j.account.AccountType.EMAIL))));
      assertThat(fake.accountsOf("device-1")).hasSize(1); // still bound

      // The way the README shows: the number the official SDK sent.
      tpns.batchOperate(
          BatchOperateRequest.deleteAccounts(
              TokenAccounts.of(
                  "device-1", Account.of("alice@example.com", LegacyAccountType.EMAIL))));
      assertThat(fake.accountsOf("device-1")).isEmpty();
    }
  }

  @Test
  void theLegacyNumbersAreTheOfficialSdksOwn() {
    assertThat(LegacyAccountType.UNKNOWN).isEqualTo(AccountType.unknown.getType());
    assertThat(LegacyAccountType.MOBILE).isEqualTo(AccountType.mobile.getType());
    assertThat(LegacyAccountType.EMAIL).isEqualTo(AccountType.email.getType());
    assertThat(LegacyAccountType.WX_OPENID).isEqualTo(AccountType.wx_openid.getType());
    assertThat(LegacyAccountType.QQ_OPENID).isEqualTo(AccountType.qq_openid.getType());
    assertThat(LegacyAccountType.WEIBO).isEqualTo(AccountType.weibo.getType());
    assertThat(LegacyAccountType.ALIPAY).isEqualTo(AccountType.alipay.getType());
    assertThat(LegacyAccountType.TAOBAO).isEqualTo(AccountType.taobao.getType());
    assertThat(LegacyAccountType.DOUBAN).isEqualTo(AccountType.douban.getType());
    assertThat(LegacyAccountType.FACEBOOK).isEqualTo(AccountType.facebook.getType());
    assertThat(LegacyAccountType.TWITTER).isEqualTo(AccountType.twitter.getType());
    assertThat(LegacyAccountType.GOOGLE).isEqualTo(AccountType.google.getType());
    assertThat(LegacyAccountType.BAIDU).isEqualTo(AccountType.baidu.getType());
    assertThat(LegacyAccountType.JD).isEqualTo(AccountType.jd.getType());
    assertThat(LegacyAccountType.LINKEDIN).isEqualTo(AccountType.linkin.getType());
    assertThat(LegacyAccountType.OTHERS).isEqualTo(AccountType.others.getType());
    assertThat(LegacyAccountType.VISITORS).isEqualTo(AccountType.visitors.getType());
    assertThat(AccountType.values()).hasSize(17);
  }
}
