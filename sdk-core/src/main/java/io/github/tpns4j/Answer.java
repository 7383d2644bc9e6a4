package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TPNS answer body as read from the wire. Both spellings of the envelope are accepted on every
 * endpoint: {@code ret_code}/{@code err_msg} (batchoperate) and {@code retCode}/{@code errMsg}
 * (query). Unknown fields are skipped; codes are kept as strings.
 */
final class Answer {
  final int retCode;
  final String errMsg;
  final List<String> result;

  /** {@code account_tokens} of a query of type 1, in answer order; null when absent. */
  final Entries<String> accountTokens;

  /** {@code token_accounts} of a query of type 2, in answer order; null when absent. */
  final Entries<Account> tokenAccounts;

  private Answer(
      int retCode,
      String errMsg,
      List<String> result,
      Entries<String> accountTokens,
      Entries<Account> tokenAccounts) {
    this.retCode = retCode;
    this.errMsg = errMsg;
    this.result = result;
    this.accountTokens = accountTokens;
    this.tokenAccounts = tokenAccounts;
  }

  /**
   * {@link #accountTokens} as a map in answer order (a name twice: its last list); null when
   * absent.
   */
  Map<String, List<String>> tokensByAccount() {
    return accountTokens == null ? null : accountTokens.toMap();
  }

  /**
   * {@link #tokenAccounts} as a map in answer order (a token twice: its last list); null when
   * absent.
   */
  Map<String, List<Account>> accountsByToken() {
    return tokenAccounts == null ? null : tokenAccounts.toMap();
  }

  /**
   * The entries of {@code account_tokens} or {@code token_accounts} as they come: each key (an
   * account name, or a token) with its list, unmodifiable, never null. A key may come twice.
   */
  static final class Entries<V> {
    private String[] keys = new String[BatchOperateRequest.MAX_ITEMS_PER_CALL];
    private List<?>[] values = new List<?>[BatchOperateRequest.MAX_ITEMS_PER_CALL];
    private int size;

    private void add(String key, List<V> value) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size++] = value;
    }

    int size() {
      return size;
    }

    String key(int i) {
      return keys[i];
    }

    @SuppressWarnings("unchecked")
    List<V> value(int i) {
      return (List<V>) values[i];
    }

    Map<String, List<V>> toMap() {
      Map<String, List<V>> out = new LinkedHashMap<>(Math.max(size, 1) * 4 / 3 + 1);
      for (int i = 0; i < size; i++) {
        out.put(keys[i], value(i));
      }
      return out;
    }
  }

  /**
   * Thrown for a body that is not a JSON object with a return code. Its message says what is wrong
   * and where, never what was received, and it has no cause: the JSON parser's own exception (and a
   * number parser's) quote the server's text, and loggers print every cause.
   */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads {@code body}; {@code asked} (null for none) are the keys a query asked for, in order: an
   * entry whose key is the one asked at its position keeps that string, and no other is made.
   */
  static Answer parse(JsonFactory json, byte[] body, List<String> asked) throws MalformedException {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedException("the body is not a JSON object", null);
      }
      Integer retCode = null;
      String errMsg = "";
      List<String> result = Collections.emptyList();
      Entries<String> accountTokens = null;
      Entries<Account> tokenAccounts = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "ret_code":
          case "retCode":
            if (retCode == null) {
              retCode = intValue(p, value, name);
            }
            break;
          case "err_msg":
          case "errMsg":
            errMsg = value == JsonToken.VALUE_NULL ? "" : scalar(p, value, name);
            break;
          case "result":
            result = stringList(p, value, name);
            break;
          case "account_tokens":
            accountTokens = accountTokens(p, value, asked);
            break;
          case "token_accounts":
            tokenAccounts = tokenAccounts(p, value, asked);
            break;
          default:
            p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedException("the JSON object is not closed", null);
      }
      if (p.nextToken() != null) {
        throw new MalformedException("there is content after the JSON object", null);
      }
      if (retCode == null) {
        throw new MalformedException("the JSON object has no ret_code or retCode", null);
      }
      return new Answer(retCode, errMsg, result, accountTokens, tokenAccounts);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new MalformedException(
          "the body is not valid JSON"
              + (at == null
                  ? ""
                  : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
          null);
    } catch (IOException | RuntimeException e) {
      throw new MalformedException(
          "the body could not be read as JSON (" + e.getClass().getName() + ")", null);
    }
  }

  private static int intValue(JsonParser p, JsonToken t, String field)
      throws IOException, MalformedException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getIntValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Integer.parseInt(p.getText().trim());
      } catch (NumberFormatException e) {
        throw new MalformedException(
            field + " is not a number but a string of " + p.getTextLength() + " characters", null);
      }
    }
    throw new MalformedException(field + " is not a number but " + t, null);
  }

  /** A string, number or boolean as text; codes sometimes arrive as numbers. */
  private static String scalar(JsonParser p, JsonToken t, String field)
      throws IOException, MalformedException {
    return scalar(p, t, field, -1);
  }

  /** The same for element {@code index} of the array {@code field} (no element when negative). */
  private static String scalar(JsonParser p, JsonToken t, String field, int index)
      throws IOException, MalformedException {
    if (t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL) {
      // Per-item success codes repeat up to 20 times per answer: share one instance.
      if (p.getTextLength() == 1 && p.getTextCharacters()[p.getTextOffset()] == '0') {
        return "0";
      }
      return p.getText();
    }
    // The element's name is made for the message only, not for every element of every answer.
    String name = index < 0 ? field : field + "[" + index + "]";
    throw new MalformedException(name + " is not a string but " + t, null);
  }

  /**
   * Unmodifiable, and of a type that is immutable when it holds none or one element ({@link
   * Collections#emptyList}, {@link Collections#singletonList}), the usual case for the tokens of an
   * account: a result takes such lists over without a copy.
   */
  private static List<String> stringList(JsonParser p, JsonToken t, String field)
      throws IOException, MalformedException {
    if (t == JsonToken.VALUE_NULL) {
      return Collections.emptyList();
    }
    if (t != JsonToken.START_ARRAY) {
      throw new MalformedException(field + " is not an array but " + t, null);
    }
    JsonToken e = p.nextToken();
    if (e == JsonToken.END_ARRAY) {
      return Collections.emptyList();
    }
    String first = scalar(p, e, field, 0);
    if ((e = p.nextToken()) == JsonToken.END_ARRAY) {
      return Collections.singletonList(first);
    }
    List<String> out = new ArrayList<>();
    out.add(first);
    do {
      out.add(scalar(p, e, field, out.size()));
    } while ((e = p.nextToken()) != JsonToken.END_ARRAY);
    return Collections.unmodifiableList(out);
  }

  /**
   * The entry key being read: {@code asked}'s key at {@code index} when the text is that key (the
   * usual case: TPNS answers each key in the order asked), else the text as a new string.
   */
  private static String key(JsonParser p, JsonToken t, String field, List<String> asked, int index)
      throws IOException, MalformedException {
    if (t == JsonToken.VALUE_STRING && asked != null && index < asked.size()) {
      String expected = asked.get(index);
      int n = p.getTextLength();
      if (n == expected.length()) {
        char[] text = p.getTextCharacters();
        int at = p.getTextOffset();
        int i = 0;
        while (i < n && text[at + i] == expected.charAt(i)) {
          i++;
        }
        if (i == n) {
          return expected;
        }
      }
    }
    return scalar(p, t, field);
  }

  private static Entries<String> accountTokens(JsonParser p, JsonToken t, List<String> asked)
      throws IOException, MalformedException {
    Entries<String> out = new Entries<>();
    if (t == JsonToken.VALUE_NULL) {
      return out;
    }
    if (t != JsonToken.START_ARRAY) {
      throw new MalformedException("account_tokens is not an array but " + t, null);
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String account = null;
      List<String> tokens = Collections.emptyList();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("account".equals(name)) {
          account = key(p, value, "account_tokens[].account", asked, out.size());
        } else if ("token_list".equals(name)) {
          tokens = stringList(p, value, "account_tokens[].token_list");
        } else {
          p.skipChildren();
        }
      }
      if (account == null) {
        throw new MalformedException("an account_tokens entry has no account", null);
      }
      out.add(account, tokens); // unmodifiable already
    }
    return out;
  }

  private static Entries<Account> tokenAccounts(JsonParser p, JsonToken t, List<String> asked)
      throws IOException, MalformedException {
    Entries<Account> out = new Entries<>();
    if (t == JsonToken.VALUE_NULL) {
      return out;
    }
    if (t != JsonToken.START_ARRAY) {
      throw new MalformedException("token_accounts is not an array but " + t, null);
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String token = null;
      List<Account> accounts = Collections.emptyList();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("token".equals(name)) {
          token = key(p, value, "token_accounts[].token", asked, out.size());
        } else if ("account_list".equals(name) && value == JsonToken.START_ARRAY) {
          List<Account> more = accountList(p);
          if (accounts.isEmpty()) {
            accounts = more;
          } else { // account_list twice in one entry: both, as they come
            List<Account> both = new ArrayList<>(accounts);
            both.addAll(more);
            accounts = Collections.unmodifiableList(both);
          }
        } else {
          p.skipChildren();
        }
      }
      if (token == null) {
        throw new MalformedException("a token_accounts entry has no token", null);
      }
      out.add(token, accounts);
    }
    return out;
  }

  /** An {@code account_list}'s accounts, unmodifiable, as {@link #stringList} makes its lists. */
  private static List<Account> accountList(JsonParser p) throws IOException, MalformedException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return Collections.emptyList();
    }
    Account first = account(p);
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return Collections.singletonList(first);
    }
    List<Account> out = new ArrayList<>();
    out.add(first);
    do {
      out.add(account(p));
    } while (p.nextToken() == JsonToken.START_OBJECT);
    return Collections.unmodifiableList(out);
  }

  private static Account account(JsonParser p) throws IOException, MalformedException {
    String account = null;
    Integer type = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("account".equals(name)) {
        account = scalar(p, value, "account");
      } else if ("account_type".equals(name) && value != JsonToken.VALUE_NULL) {
        type = intValue(p, value, "account_type");
      } else {
        p.skipChildren();
      }
    }
    if (account == null) {
      throw new MalformedException("an account_list entry has no account", null);
    }
    // Account.of validates; a blank or negative value from the server is malformed, not bad input.
    try {
      // TPNS's international site documents answers without account_type: that is type 0, the
      // default type, as the China site's answers say outright
      // (tencentcloud.com/document/api/1024/33769).
      return Account.of(account, type == null ? 0 : type);
    } catch (TpnsValidationException e) {
      throw new MalformedException(
          "an account_list entry holds an invalid account (blank, or a negative account_type)",
          null);
    }
  }
}
