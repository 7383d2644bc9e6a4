package io.github.tpns4j.bench;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A hand-written request JSON writer, kept as the reference that {@link JsonWriterBenchmark}
 * measures sdk-core's {@code RequestJson} (jackson-core's {@code JsonGenerator}) against: UTF-8
 * strings copied in bulk, escapes as jackson-core writes them. The bytes are the same as
 * jackson-core's for every character in the BMP; outside it, this writes the 4 UTF-8 bytes where
 * jackson-core writes a pair of escapes.
 */
public final class HandWrittenJson {
  private static final byte[] OPERATOR_TYPE = ascii("{\"operator_type\":");
  private static final byte[] TOKEN_ACCOUNTS = ascii(",\"token_accounts\":[");
  private static final byte[] ACCOUNT_LIST = ascii(",\"account_list\":[");
  private static final byte[] TOKEN = ascii("{\"token\":");
  private static final byte[] ACCOUNT = ascii("{\"account\":");
  private static final byte[] ACCOUNT_TYPE = ascii(",\"account_type\":");
  private static final byte[] HEX = ascii("0123456789abcdef");

  /** For each ASCII char: 0 to copy it, {@code 'u'} for {@code \}{@code u00XX}, else the letter. */
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  private byte[] buf;
  private int pos;

  private HandWrittenJson(int sizeHint) {
    buf = new byte[sizeHint];
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code {"operator_type":N,"token_accounts":[{"token":..,"account_list":[..]},..]}}. */
  public static String tokenAccounts(int operatorType, List<TokenAccounts> entries) {
    int size = 48;
    for (TokenAccounts e : entries) {
      size += 32 + e.token().length();
      for (Account a : e.accounts()) {
        size += 36 + a.account().length();
      }
    }
    HandWrittenJson w = new HandWrittenJson(size);
    w.start(operatorType, TOKEN_ACCOUNTS);
    for (int i = 0, n = entries.size(); i < n; i++) {
      TokenAccounts e = entries.get(i);
      w.comma(i);
      w.raw(TOKEN);
      w.string(e.token());
      w.accountList(e.accounts());
      w.raw('}');
    }
    return w.end();
  }

  private void start(int operatorType, byte[] listField) {
    raw(OPERATOR_TYPE);
    number(operatorType);
    raw(listField);
  }

  /** Closes the list and the object; the text of what was written. */
  private String end() {
    ensure(2);
    buf[pos++] = ']';
    buf[pos++] = '}';
    return new String(buf, 0, pos, StandardCharsets.UTF_8);
  }

  private void accountList(List<Account> accounts) {
    raw(ACCOUNT_LIST);
    accounts(accounts);
    raw(']');
  }

  private void accounts(List<Account> accounts) {
    for (int i = 0, n = accounts.size(); i < n; i++) {
      Account a = accounts.get(i);
      comma(i);
      raw(ACCOUNT);
      string(a.account());
      if (a.accountType() != null) {
        raw(ACCOUNT_TYPE);
        number(a.accountType());
      }
      raw('}');
    }
  }

  private void comma(int index) {
    if (index > 0) {
      raw(',');
    }
  }

  private void raw(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** An int, as JSON writes it. */
  private void number(int value) {
    if (value >= 0 && value < 10) {
      raw((char) ('0' + value)); // every documented operator and account type
      return;
    }
    raw(Integer.toString(value).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A JSON string. The JDK encodes it to UTF-8 (fast for ASCII, the usual case); the bytes are
   * copied in bulk unless one needs an escape. Multi-byte sequences never need one: all their bytes
   * are 0x80 or above. Values are validated well-formed UTF-16, so no surrogate becomes {@code ?}.
   */
  private void string(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    int n = u.length;
    int i = 0;
    while (i < n && (u[i] < 0 || ESCAPES[u[i]] == 0)) {
      i++;
    }
    ensure(i + 2);
    buf[pos++] = '"';
    System.arraycopy(u, 0, buf, pos, i);
    pos += i;
    if (i < n) {
      escaped(u, i);
    }
    raw('"');
  }

  /** The bytes from {@code from} on, escaped where needed: at most 6 bytes out per byte in. */
  private void escaped(byte[] u, int from) {
    int n = u.length;
    ensure(6 * (n - from));
    byte[] b = buf;
    int p = pos;
    for (int i = from; i < n; i++) {
      byte c = u[i];
      byte escape = c < 0 ? 0 : ESCAPES[c];
      if (escape == 0) {
        b[p++] = c;
      } else if (escape == 'u') {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = '0';
        b[p++] = '0';
        b[p++] = HEX[c >> 4];
        b[p++] = HEX[c & 0xF];
      } else {
        b[p++] = '\\';
        b[p++] = escape;
      }
    }
    pos = p;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(pos + more, 2 * buf.length));
    }
  }
}
