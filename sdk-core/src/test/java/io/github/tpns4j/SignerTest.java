package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignerTest {
  private static final String ACCESS_ID = "1500001048";
  private static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";
  private static final long TIMESTAMP = 1565314789L;

  @Test
  void signsTheDocumentedExample() {
    String body =
        "{\"audience_type\": \"account\",\"platform\": \"android\",\"message\": {\"title\": \"test title\","
            + "\"content\": \"test content\",\"android\": { \"action\": {\"action_type\": 3,\"intent\": "
            + "\"xgscheme://com.xg.push/notify_detail?param1=xg\"}}},\"message_type\": \"notify\","
            + "\"account_list\": [\"5822f0eee44c3625ef0000bb\"] }";
    assertThat(new Signer(ACCESS_ID, SECRET).sign(TIMESTAMP, body.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            "Y2QyMDc3NDY4MmJmNzhiZmRiNDNlMTdkMWQ1ZDU2YjNlNWI3ODlhMTY3MGZjMTUyN2VmNTRjNjVkMmQ3Yjc2ZA==");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"operator_type\":2,\"token_accounts\":[{\"token\":\"token1\",\"account_list\":[{\"account\":\"926@126.com\",\"account_type\":0}]}]}"
            + "|YjQ2MzQ4ZjgyYzI2YjQ2Y2NhMWNjNWU1MWYyMzViOTI0ZGE4ZDYxNjI2ZGEzZTFjOGNmMDZiNzBlMmU4OGQ5Yw==",
        "{\"operator_type\":5,\"account_list\":[{\"account\":\"张三\",\"account_type\":1}]}"
            + "|N2Y2MDYxMDRjNzJlMWQyMmY1MDVjN2M4NzRmZjViNTEwZWZkYWZjNjA4Njk0YTVkOTljMGQzYjI5MjZkOTk5Mg=="
      })
  void signsTheAccountApiVectors(String body, String sign) {
    Signer signer = new Signer(ACCESS_ID, SECRET);
    assertThat(signer.sign(TIMESTAMP, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(sign);
    // A second signature from the same signer (the same Mac, reused) is the same: no state leaks
    // between calls.
    assertThat(signer.sign(TIMESTAMP, body.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(sign)
        .hasSize(88);
  }

  @Test
  void dependsOnTimestampAndBody() {
    Signer signer = new Signer(ACCESS_ID, SECRET);
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(signer.sign(TIMESTAMP, body)).isNotEqualTo(signer.sign(TIMESTAMP + 1, body));
    assertThat(signer.sign(TIMESTAMP, body))
        .isNotEqualTo(signer.sign(TIMESTAMP, "{ }".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void threadsSigningAtOnceEachGetTheirOwnSignature() throws Exception {
    // The signer hands its one idle Mac to whichever thread takes it first and clones for the
    // others: a Mac shared by two threads at once would mix their bodies into wrong signatures.
    Signer signer = new Signer(ACCESS_ID, SECRET);
    int threads = 4;
    int each = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> wrong = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        wrong.add(
            pool.submit(
                () -> {
                  go.await();
                  int mismatches = 0;
                  for (int i = 0; i < each; i++) {
                    byte[] body =
                        ("{\"t\":" + id + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    if (!signer.sign(TIMESTAMP + i, body).equals(reference(TIMESTAMP + i, body))) {
                      mismatches++;
                    }
                  }
                  return mismatches;
                }));
      }
      go.countDown();
      for (Future<Integer> w : wrong) {
        assertThat(w.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The signature computed from scratch with a Mac of its own. */
  private static String reference(long timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ACCESS_ID).getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(body)) {
      hex.append(String.format("%02x", b));
    }
    return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void toStringShowsNoKey() {
    assertThat(new Signer(ACCESS_ID, SECRET).toString()).doesNotContain(SECRET);
  }
}
