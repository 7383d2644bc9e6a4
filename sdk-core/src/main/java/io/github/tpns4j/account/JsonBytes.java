package io.github.tpns4j.account;

import java.util.List;

/**
 * Writes the few JSON shapes the requests need straight to UTF-8 bytes, compactly, as TPNS
 * documents them. A shape is written twice: once into a counting writer to learn its exact size,
 * then into an array of that size, so a request's body is one allocation that is never copied.
 * Strings must be well-formed UTF-16 (the value types reject unpaired surrogates).
 */
final class JsonBytes {
  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  /** A JSON document written by {@link #write}. */
  interface Shape {
    void write(JsonBytes out);
  }

  private final byte[] buf; // null while counting
  private int pos;

  private JsonBytes(byte[] buf) {
    this.buf = buf;
  }

  static byte[] encode(Shape shape) {
    JsonBytes counter = new JsonBytes(null);
    shape.write(counter);
    JsonBytes out = new JsonBytes(new byte[counter.pos]);
    shape.write(out);
    return out.buf;
  }

  private void put(int b) {
    if (buf != null) {
      buf[pos] = (byte) b;
    }
    pos++;
  }

  /** An ASCII literal with nothing to escape, e.g. {@code {"operator_type":}. */
  JsonBytes raw(String ascii) {
    if (buf != null) {
      for (int i = 0; i < ascii.length(); i++) {
        buf[pos + i] = (byte) ascii.charAt(i);
      }
    }
    pos += ascii.length();
    return this;
  }

  JsonBytes raw(char c) {
    put(c);
    return this;
  }

  JsonBytes number(int value) {
    if (value < 0) {
      put('-');
      value = -value; // account types and operator types are never Integer.MIN_VALUE
    }
    if (value >= 10) {
      number(value / 10);
    }
    put('0' + value % 10);
    return this;
  }

  /** A string already known to be plain ASCII (or not), e.g. from {@link Checks#text}. */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a fast copy of ASCII
  JsonBytes string(String s, boolean plain) {
    int n = s.length();
    if (plain) {
      if (buf != null) {
        buf[pos] = '"';
        s.getBytes(0, n, buf, pos + 1);
        buf[pos + n + 1] = '"';
      }
      pos += n + 2;
      return this;
    }
    put('"');
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          put(c);
          continue;
        }
        put('\\');
        switch (c) {
          case '"':
            put('"');
            break;
          case '\\':
            put('\\');
            break;
          case '\n':
            put('n');
            break;
          case '\r':
            put('r');
            break;
          case '\t':
            put('t');
            break;
          case '\b':
            put('b');
            break;
          case '\f':
            put('f');
            break;
          default:
            unicodeEscape(c);
        }
      } else if (c < 0x800) {
        put(0xC0 | (c >> 6));
        put(0x80 | (c & 0x3F));
      } else if (c == 0x2028 || c == 0x2029) {
        put('\\'); // valid JSON either way; escaped for JavaScript consumers
        unicodeEscape(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
      } else {
        put(0xE0 | (c >> 12));
        put(0x80 | ((c >> 6) & 0x3F));
        put(0x80 | (c & 0x3F));
      }
    }
    put('"');
    return this;
  }

  private void unicodeEscape(char c) {
    put('u');
    put(HEX[(c >> 12) & 0xF]);
    put(HEX[(c >> 8) & 0xF]);
    put(HEX[(c >> 4) & 0xF]);
    put(HEX[c & 0xF]);
  }

  JsonBytes account(Account account) {
    raw("{\"account\":").string(account.account(), account.plain);
    if (account.hasType()) {
      raw(",\"account_type\":").number(account.type());
    }
    return raw('}');
  }

  JsonBytes accountList(List<Account> accounts) {
    raw('[');
    for (int i = 0; i < accounts.size(); i++) {
      if (i > 0) {
        raw(',');
      }
      account(accounts.get(i));
    }
    return raw(']');
  }

  /** A list of strings whose plainness {@link Checks#text} already told. */
  JsonBytes stringList(List<String> values, boolean[] plain) {
    raw('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        raw(',');
      }
      string(values.get(i), plain[i]);
    }
    return raw(']');
  }
}
