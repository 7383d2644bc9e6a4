package io.github.tpns4j;

import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;

/**
 * Masks credentials in text that came from the server (a body excerpt, {@code err_msg}, a protocol
 * error) before it goes into a message, and bounds what is quoted. A server may echo the request:
 * its {@code Sign}, its {@code Authorization} (access ID and secret in Base64) or the secret
 * itself, whole or cut short. Any run of 8 or more Base64/hex characters that is part of such a
 * value, or contains one, becomes {@code ***}, as does every exact occurrence of a value.
 */
final class Redactor {
  static final int MAX_QUOTED = 200;
  private static final int MIN_RUN = 8;
  private static final String MASK = "***";

  private final List<String> secrets;

  /**
   * @param secrets values never to show: the secret key, the Basic credentials
   */
  Redactor(String... secrets) {
    List<String> s = new ArrayList<>();
    for (String v : secrets) {
      if (v != null && !v.isEmpty()) {
        s.add(v);
      }
    }
    this.secrets = s;
  }

  /** {@code text} with this client's secrets and the request's {@code Sign} masked. */
  String mask(String text, Request request) {
    if (text == null || text.isEmpty()) {
      return text == null ? "" : text;
    }
    String sign = request == null ? null : request.header("Sign");
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    if (sign != null) {
      out = out.replace(sign, MASK);
    }
    return maskRuns(out, sign);
  }

  private String maskRuns(String text, String sign) {
    StringBuilder b = null;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isRunChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isRunChar(text.charAt(i))) {
        i++;
      }
      if (i - start >= MIN_RUN && isSecretPart(text.substring(start, i), sign)) {
        if (b == null) {
          b = new StringBuilder(n);
        }
        b.setLength(0);
        b.append(text, 0, start).append(MASK).append(text, i, n);
        text = b.toString();
        n = text.length();
        i = start + MASK.length();
      }
    }
    return text;
  }

  private boolean isSecretPart(String run, String sign) {
    if (sign != null && (sign.contains(run) || run.contains(sign))) {
      return true;
    }
    for (String s : secrets) {
      if (s.contains(run) || run.contains(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRunChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '='
        || c == '-'
        || c == '_';
  }

  /**
   * Masked, at most {@value #MAX_QUOTED} characters (then "..."), control characters as spaces:
   * what a message may quote of server text.
   */
  String quote(String text, Request request) {
    // Mask a little beyond the cut, so that a value straddling it is still recognised.
    String head = text.length() > 4 * MAX_QUOTED ? text.substring(0, 4 * MAX_QUOTED) : text;
    String masked = mask(head, request);
    int n = Math.min(masked.length(), MAX_QUOTED);
    if (n > 0 && Character.isHighSurrogate(masked.charAt(n - 1))) {
      n--;
    }
    StringBuilder out = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = masked.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (n < masked.length() || head.length() < text.length()) {
      out.append("...");
    }
    return out.toString();
  }
}
