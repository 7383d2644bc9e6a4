package io.github.tpns4j.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * What a careful hand-rolled TPNS client does per call with OkHttp and jackson-core, for the
 * loopback benchmark: a keyed HMAC per thread, the signed request, the {@code ret_code} of the
 * answer. No validation, retries, limits or masking.
 */
final class HandRolled {
  static final MediaType JSON = MediaType.get("application/json");
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final ThreadLocal<Mac> macs;
  private final JsonFactory json = new JsonFactory();

  HandRolled(String secret) {
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /**
   * The signed request; {@code body} holds exactly {@code bytes} (reused when they don't change).
   */
  Request request(HttpUrl url, String accessId, byte[] bytes, RequestBody body) {
    String now = Long.toString(System.currentTimeMillis() / 1000);
    Mac mac = macs.get();
    mac.update(now.getBytes(StandardCharsets.US_ASCII));
    mac.update(accessId.getBytes(StandardCharsets.US_ASCII));
    mac.update(bytes);
    byte[] digest = mac.doFinal();
    byte[] hex = new byte[64];
    for (int i = 0; i < 32; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
      hex[2 * i + 1] = HEX[digest[i] & 0xF];
    }
    return new Request.Builder()
        .url(url)
        .post(body)
        .header("User-Agent", "tpns4j/0.1.0")
        .header("AccessId", accessId)
        .header("TimeStamp", now)
        .header("Sign", Base64.getEncoder().encodeToString(hex))
        .build();
  }

  /**
   * The overwrite request's JSON, written with jackson-core's generator straight to UTF-8 bytes:
   * what any client must write, nothing checked.
   */
  byte[] json(List<TokenAccounts> entries) throws IOException {
    ByteArrayBuilder out = new ByteArrayBuilder(2_048);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("operator_type", 2);
      g.writeArrayFieldStart("token_accounts");
      for (TokenAccounts e : entries) {
        g.writeStartObject();
        g.writeStringField("token", e.token());
        g.writeArrayFieldStart("account_list");
        for (Account a : e.accounts()) {
          g.writeStartObject();
          g.writeStringField("account", a.account());
          if (a.accountType() != null) {
            g.writeNumberField("account_type", a.accountType());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  int retCode(byte[] answer) throws IOException {
    try (JsonParser p = json.createParser(answer)) {
      p.nextToken();
      int retCode = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("ret_code".equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
          retCode = p.getIntValue();
        } else {
          p.skipChildren();
        }
      }
      return retCode;
    }
  }
}
