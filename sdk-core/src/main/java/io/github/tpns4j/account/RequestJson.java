package io.github.tpns4j.account;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one place that writes request JSON, in the documented shapes: only the fields of the chosen
 * operation, {@code account_type} only when set, compact. Values reach it already validated.
 */
final class RequestJson {
  // Immutable once configured; creating generators from it is thread-safe.
  private static final JsonFactory FACTORY = new JsonFactory();

  // Field names encoded once, written as bytes.
  private static final SerializedString OPERATOR_TYPE = new SerializedString("operator_type");
  private static final SerializedString TOKEN_ACCOUNTS = new SerializedString("token_accounts");
  private static final SerializedString TOKEN_LIST = new SerializedString("token_list");
  private static final SerializedString ACCOUNT_LIST = new SerializedString("account_list");
  private static final SerializedString TOKEN = new SerializedString("token");
  private static final SerializedString ACCOUNT = new SerializedString("account");
  private static final SerializedString ACCOUNT_TYPE = new SerializedString("account_type");

  private RequestJson() {}

  /** The fields of a write, between the opening and closing brace. */
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String object(int operatorType, int sizeHint, Fields fields) {
    // UTF-8 bytes first: Jackson's byte generator copies ASCII in bulk, and a String made from
    // ASCII bytes is one copy, where the char path escapes and compresses char by char.
    Bytes out = new Bytes(sizeHint);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName(OPERATOR_TYPE);
      g.writeNumber(operatorType);
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail.
      throw new UncheckedIOException(e);
    }
    return out.text();
  }

  /** An output stream whose bytes become a String without an intermediate copy. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    String text() {
      return new String(buf, 0, count, StandardCharsets.UTF_8);
    }
  }

  /** Room for a string of {@code n} chars: ASCII mostly; more only when escaped or wider. */
  private static int room(String s) {
    return s.length() + 16;
  }

  /** {@code {"operator_type":N,"token_accounts":[{"token":..,"account_list":[..]},..]}}. */
  static String tokenAccounts(int operatorType, List<TokenAccounts> entries) {
    int size = 64;
    for (TokenAccounts e : entries) {
      size += 32 + room(e.token());
      for (Account a : e.accounts()) {
        size += 32 + room(a.account());
      }
    }
    return object(
        operatorType,
        size,
        g -> {
          g.writeFieldName(TOKEN_ACCOUNTS);
          g.writeStartArray();
          for (TokenAccounts e : entries) {
            g.writeStartObject();
            g.writeFieldName(TOKEN);
            g.writeString(e.token());
            accountList(g, e.accounts());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** {@code {"operator_type":N,"token_list":[..]}}. */
  static String tokenList(int operatorType, List<String> tokens) {
    int size = 48;
    for (String t : tokens) {
      size += room(t);
    }
    return object(
        operatorType,
        size,
        g -> {
          g.writeFieldName(TOKEN_LIST);
          g.writeStartArray();
          for (String t : tokens) {
            g.writeString(t);
          }
          g.writeEndArray();
        });
  }

  /** {@code {"operator_type":N,"account_list":[{"account":..[,"account_type":..]},..]}}. */
  static String accountList(int operatorType, List<Account> accounts) {
    int size = 48;
    for (Account a : accounts) {
      size += 32 + room(a.account());
    }
    return object(operatorType, size, g -> accountList(g, accounts));
  }

  private static void accountList(JsonGenerator g, List<Account> accounts) throws IOException {
    g.writeFieldName(ACCOUNT_LIST);
    g.writeStartArray();
    for (Account a : accounts) {
      g.writeStartObject();
      g.writeFieldName(ACCOUNT);
      g.writeString(a.account());
      if (a.hasType()) {
        g.writeFieldName(ACCOUNT_TYPE);
        g.writeNumber(a.type());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
