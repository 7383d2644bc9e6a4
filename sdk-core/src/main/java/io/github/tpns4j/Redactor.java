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

  /** One pass: runs are copied or masked into one builder, so the cost stays linear. */
  private String maskRuns(String text, String sign) {
    StringBuilder b = null;
    int n = text.length();
    int copied = 0; // text before this is already in b
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
      if (i - start >= MIN_RUN && isSecretPart(text, start, i, sign)) {
        if (b == null) {
          b = new StringBuilder(n);
        }
        b.append(text, copied, start).append(MASK);
        copied = i;
      }
    }
    if (b == null) {
      return text;
    }
    return b.append(text, copied, n).toString();
  }

  /**
   * A safe stand-in for {@code t} to keep as a cause: {@code t} itself when no message in its chain
   * (causes and suppressed, {@value #MAX_DEPTH} deep) needs masking or is longer than {@value
   * #MAX_QUOTED} characters; otherwise a copy of the chain with each message quoted as {@link
   * #quote} does, prefixed with the original class name, and with the original stack traces. An
   * {@link Error} is kept as it is: it comes from this JVM, not from the network, and bulk runs
   * stop on it.
   */
  Throwable sanitize(Throwable t, Request request) {
    if (t == null || isClean(t, request, 0)) {
      return t;
    }
    return copy(t, request, 0);
  }

  private static final int MAX_DEPTH = 8;

  private boolean isClean(Throwable t, Request request, int depth) {
    if (t == null || t instanceof Error) {
      return true;
    }
    if (depth >= MAX_DEPTH) {
      return false;
    }
    String m = t.getMessage();
    if (m != null && (m.length() > MAX_QUOTED || !mask(m, request).equals(m))) {
      return false;
    }
    for (Throwable s : t.getSuppressed()) {
      if (!isClean(s, request, depth + 1)) {
        return false;
      }
    }
    Throwable c = t.getCause();
    return c == t || isClean(c, request, depth + 1);
  }

  private Throwable copy(Throwable t, Request request, int depth) {
    if (t == null || t instanceof Error) {
      return t;
    }
    String m = t.getMessage();
    Throwable c = t.getCause();
    Redacted r =
        new Redacted(
            t.getClass().getName() + (m == null ? "" : ": " + quote(m, request)),
            depth + 1 >= MAX_DEPTH || c == t ? null : copy(c, request, depth + 1));
    r.setStackTrace(t.getStackTrace());
    if (depth + 1 < MAX_DEPTH) {
      for (Throwable s : t.getSuppressed()) {
        r.addSuppressed(copy(s, request, depth + 1));
      }
    }
    return r;
  }

  /** A throwable whose text quoted the server, as kept in a cause chain: masked and bounded. */
  static final class Redacted extends Exception {
    private static final long serialVersionUID = 1L;

    Redacted(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      return getMessage(); // it starts with the original class name
    }
  }

  /** Whether text[start, end) is part of a secret or the Sign, or contains one. */
  private boolean isSecretPart(String text, int start, int end, String sign) {
    if (sign != null && isPartOrHolder(text, start, end, sign)) {
      return true;
    }
    for (String s : secrets) {
      if (isPartOrHolder(text, start, end, s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPartOrHolder(String text, int start, int end, String value) {
    int len = end - start;
    if (len <= value.length()) {
      // A run no longer than the value: is it a piece of it? Bounded by the value's length.
      for (int from = 0; from + len <= value.length(); from++) {
        if (value.regionMatches(from, text, start, len)) {
          return true;
        }
      }
      return false;
    }
    // A longer run: does it hold the value? Exact values were replaced before, so a run that holds
    // one can only be cut around it; checking the run's ends for a piece of the value suffices.
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
