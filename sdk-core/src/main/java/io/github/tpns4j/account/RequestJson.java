package io.github.tpns4j.account;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one place that writes request JSON, in the documented shapes: only the fields of the chosen
 * operation, {@code account_type} only when set, compact. Values reach it already validated.
 */
final class RequestJson {
  // Immutable once configured; creating generators from it is thread-safe.
  private static final JsonFactory FACTORY = new JsonFactory();

  private RequestJson() {}

  /** The fields of a write, between the opening and closing brace. */
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String object(int operatorType, int sizeHint, Fields fields) {
    StringWriter out = new StringWriter(sizeHint);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("operator_type", operatorType);
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      // A StringWriter does not fail.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code {"operator_type":N,"token_accounts":[{"token":..,"account_list":[..]},..]}}. */
  static String tokenAccounts(int operatorType, List<TokenAccounts> entries) {
    return object(
        operatorType,
        64 + entries.size() * 96,
        g -> {
          g.writeArrayFieldStart("token_accounts");
          for (TokenAccounts e : entries) {
            g.writeStartObject();
            g.writeStringField("token", e.token());
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
        48 + tokens.size() * 72,
        g -> {
          g.writeArrayFieldStart("token_list");
          for (String t : tokens) {
            g.writeString(t);
          }
          g.writeEndArray();
        });
  }

  /** {@code {"operator_type":N,"account_list":[{"account":..[,"account_type":..]},..]}}. */
  static String accountList(int operatorType, List<Account> accounts) {
    return object(operatorType, 48 + accounts.size() * 48, g -> accountList(g, accounts));
  }

  private static void accountList(JsonGenerator g, List<Account> accounts) throws IOException {
    g.writeArrayFieldStart("account_list");
    for (Account a : accounts) {
      g.writeStartObject();
      g.writeStringField("account", a.account());
      if (a.hasType()) {
        g.writeNumberField("account_type", a.type());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
