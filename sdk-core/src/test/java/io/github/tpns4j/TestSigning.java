package io.github.tpns4j;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An independent reference implementation of the TPNS Sign, for checking recorded requests. */
final class TestSigning {
  private TestSigning() {}

  static String sign(String secretKey, String timestamp, String accessId, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + accessId).getBytes(StandardCharsets.UTF_8));
      byte[] digest = mac.doFinal(body);
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
