package io.github.tpns4j.account;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

  private static String object(int operatorType, Fields fields) {
    Text out = new Text();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName(OPERATOR_TYPE);
      g.writeNumber(operatorType);
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      // Text does not fail.
      throw new UncheckedIOException(e);
    }
    return out.text();
  }

  /**
   * The generator's UTF-8 output as a String, made straight from the generator's own (recycled)
   * buffer when it arrives in one piece, as it does for any body shorter than that buffer (8 000
   * bytes): the body is then the only copy. Longer bodies arrive in pieces and are gathered first.
   */
  private static final class Text extends OutputStream {
    private String text; // the first piece, decoded; null until written or once gathering
    private ByteArrayOutputStream pieces; // from a second piece on, or a first one cut in a char

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len == 0) {
        return;
      }
      if (text == null && pieces == null && b[off + len - 1] >= 0) {
        // Ends in ASCII, so on a character boundary: decoding it alone loses nothing.
        text = new String(b, off, len, StandardCharsets.UTF_8);
        return;
      }
      if (pieces == null) {
        pieces = new ByteArrayOutputStream(2 * len);
        if (text != null) {
          byte[] first = text.getBytes(StandardCharsets.UTF_8); // the same bytes: valid UTF-8
          pieces.write(first, 0, first.length);
          text = null;
        }
      }
      pieces.write(b, off, len);
    }

    String text() {
      if (pieces != null) {
        return new String(pieces.toByteArray(), StandardCharsets.UTF_8);
      }
      return text == null ? "" : text;
    }
  }

  /** {@code {"operator_type":N,"token_accounts":[{"token":..,"account_list":[..]},..]}}. */
  static String tokenAccounts(int operatorType, List<TokenAccounts> entries) {
    return object(
        operatorType,
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
    return object(
        operatorType,
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
    return object(operatorType, g -> accountList(g, accounts));
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
