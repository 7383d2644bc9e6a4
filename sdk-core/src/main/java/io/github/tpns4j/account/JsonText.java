package io.github.tpns4j.account;

/** Writes the few JSON shapes the requests need, compactly, as TPNS documents them. */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static StringBuilder string(StringBuilder out, String value) {
    out.append('"');
    int start = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
        continue;
      }
      out.append(value, start, i);
      start = i + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default: // other control characters, and U+2028/U+2029 for JavaScript consumers
          out.append("\\u")
              .append(HEX[(c >> 12) & 0xF])
              .append(HEX[(c >> 8) & 0xF])
              .append(HEX[(c >> 4) & 0xF])
              .append(HEX[c & 0xF]);
      }
    }
    return out.append(value, start, n).append('"');
  }

  static void account(StringBuilder out, Account account) {
    string(out.append("{\"account\":"), account.account());
    Integer type = account.accountType();
    if (type != null) {
      out.append(",\"account_type\":").append(type.intValue());
    }
    out.append('}');
  }

  static void accountList(StringBuilder out, Iterable<Account> accounts) {
    out.append('[');
    boolean first = true;
    for (Account a : accounts) {
      if (!first) {
        out.append(',');
      }
      first = false;
      account(out, a);
    }
    out.append(']');
  }

  static void stringList(StringBuilder out, Iterable<String> values) {
    out.append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, v);
    }
    out.append(']');
  }
}
