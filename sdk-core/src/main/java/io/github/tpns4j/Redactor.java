package io.github.tpns4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.Request;

/**
 * Masks credentials in text that came from the server (a body excerpt, {@code err_msg}, a protocol
 * error) before it goes into a message, and bounds what is quoted. A server may echo the request:
 * its {@code Sign}, its {@code Authorization} (access ID and secret in Base64) or the secret
 * itself, whole or cut short, in any shape.
 *
 * <p>What is masked: every part of {@value #MIN_PART} or more characters of a value (the secret,
 * the Basic credentials, the secret in Base64 at any byte alignment, the request's {@code Sign} and
 * the hex text it encodes, the request's Basic credentials), found after decoding {@code %XX} (also
 * {@code %25XX}) and JSON escapes (a backslash, or several, before {@code /} or before {@code u}
 * and four hex digits), in any letter case, with URL-safe Base64 letters and form-encoded spaces
 * read as {@code +} and {@code /}, across line breaks (and the indentation after them); plus the
 * whole run of Base64/hex characters around such a part (trailing {@code =} padding included, text
 * before an {@code =} not), so that what is glued to it goes too. A value shorter than {@value
 * #MIN_PART} characters is masked where it occurs whole. Shorter coincidences stay: ordinary text
 * is left as it is.
 *
 * <p>How: one pass over the text decodes it unit by unit into a window of the last {@value
 * #MIN_PART} normalised characters, keyed by a rolling hash and looked up in a hash table of every
 * such window of every value; the original spans of the matching windows are masked. Linear in the
 * text, whatever it holds.
 */
final class Redactor {
  static final int MAX_QUOTED = 200;

  /** The shortest part of a value that is masked; the contract is at most 12. */
  static final int MIN_PART = 8;

  private static final String MASK = "***";

  /** The windows of the values given at construction (and of what is derived from them). */
  private final List<Table> fixed;

  /**
   * @param secrets values never to show: the secret key, the Basic credentials
   */
  Redactor(String... secrets) {
    Set<String> values = new LinkedHashSet<>();
    for (String v : secrets) {
      if (v != null && !v.isEmpty()) {
        values.add(v);
      }
    }
    Set<String> derived = new LinkedHashSet<>();
    for (String v : values) {
      derived.addAll(base64Alignments(v.getBytes(StandardCharsets.UTF_8)));
    }
    this.fixed = tables(values, derived);
  }

  /** {@code text} with this client's secrets and the request's credentials masked. */
  String mask(String text, Request request) {
    if (text == null || text.isEmpty()) {
      return text == null ? "" : text;
    }
    List<Table> tables = fixed;
    List<Table> own = requestTables(request);
    if (!own.isEmpty()) {
      tables = new ArrayList<>(fixed);
      tables.addAll(own);
    }
    return tables.isEmpty() ? text : new Scan(text, tables).run();
  }

  /** The request's {@code Sign} (and the hex text it encodes) and its Basic credentials. */
  private static List<Table> requestTables(Request request) {
    if (request == null) {
      return new ArrayList<>();
    }
    Set<String> values = new LinkedHashSet<>();
    String sign = request.header("Sign");
    if (sign != null && !sign.isEmpty()) {
      values.add(sign);
      String hex = printableBase64(sign);
      if (hex != null) {
        values.add(hex);
      }
    }
    String auth = request.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6) && auth.length() > 6) {
      values.add(auth.substring(6).trim());
    }
    values.remove("");
    return tables(values, new LinkedHashSet<String>());
  }

  /** The text {@code value} encodes in Base64 when it is printable ASCII, else null. */
  private static String printableBase64(String value) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return null;
      }
    }
    return bytes.length == 0 ? null : new String(bytes, StandardCharsets.US_ASCII);
  }

  /**
   * The characters of the Base64 of {@code bytes} that do not depend on what surrounds them, for
   * each of the three byte alignments at which they can sit inside longer data.
   */
  private static List<String> base64Alignments(byte[] bytes) {
    List<String> out = new ArrayList<>(3);
    for (int a = 0; a < 3; a++) {
      byte[] shifted = new byte[a + bytes.length];
      System.arraycopy(bytes, 0, shifted, a, bytes.length);
      String enc = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int from = (8 * a + 5) / 6; // the first character made of value bits only
      int to = Math.min(enc.length(), 8 * (a + bytes.length) / 6); // the last whole one, exclusive
      if (to - from >= MIN_PART) {
        out.add(enc.substring(from, to));
      }
    }
    return out;
  }

  /**
   * Lookup tables: one of every {@value #MIN_PART}-character window of every value at least that
   * long (and of each derived value), whose matches extend over their run; one per shorter length,
   * of the whole shorter values, whose matches do not.
   */
  private static List<Table> tables(Set<String> values, Set<String> derived) {
    List<Table> out = new ArrayList<>();
    Table windows = new Table(MIN_PART, true);
    List<Table> shorter = new ArrayList<>();
    List<String> all = new ArrayList<>(values);
    all.addAll(derived);
    for (String raw : all) {
      String v = normalise(raw);
      if (v.length() >= MIN_PART) {
        for (int i = 0; i + MIN_PART <= v.length(); i++) {
          windows.add(v, i);
        }
      } else if (values.contains(raw)) {
        Table t = null;
        for (Table s : shorter) {
          if (s.len == v.length()) {
            t = s;
          }
        }
        if (t == null) {
          t = new Table(v.length(), false);
          shorter.add(t);
        }
        t.add(v, 0);
      }
    }
    if (windows.size > 0) {
      out.add(windows);
    }
    out.addAll(shorter);
    return out;
  }

  private static String normalise(String value) {
    char[] c = new char[value.length()];
    for (int i = 0; i < c.length; i++) {
      c[i] = normalise(value.charAt(i));
    }
    return new String(c);
  }

  /**
   * The character as compared: ASCII letters in lower case, URL-safe Base64 ({@code -}, {@code _})
   * and a form-encoded {@code +} (a space) as standard Base64.
   */
  private static char normalise(char c) {
    if (c >= 'A' && c <= 'Z') {
      return (char) (c + ('a' - 'A'));
    }
    if (c == '-' || c == ' ') {
      return '+';
    }
    if (c == '_') {
      return '/';
    }
    return c;
  }

  private static final byte OTHER = 0;
  private static final byte RUN = 1; // Base64 (standard or URL-safe) or hex
  private static final byte PAD = 2; // '='

  private static byte classOf(int c) {
    if ((c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '-'
        || c == '_') {
      return RUN;
    }
    return c == '=' ? PAD : OTHER;
  }

  private static final long BASE = 0x100000001b3L;

  /** Open addressing over windows of one length, keyed by their polynomial hash. */
  private static final class Table {
    final int len;
    final boolean extend;
    final long power; // BASE^(len-1): the weight of a window's first character
    long[] hashes = new long[64];
    char[][] windows = new char[64][];
    int size;

    Table(int len, boolean extend) {
      this.len = len;
      this.extend = extend;
      long p = 1;
      for (int i = 1; i < len; i++) {
        p *= BASE;
      }
      this.power = p;
    }

    void add(String v, int from) {
      char[] w = v.substring(from, from + len).toCharArray();
      long h = 0;
      for (char c : w) {
        h = h * BASE + c;
      }
      if (find(h, w, 0, w.length)) {
        return;
      }
      if (2 * (size + 1) > windows.length) {
        grow();
      }
      put(h, w);
    }

    private void put(long h, char[] w) {
      int m = windows.length - 1;
      int i = slot(h) & m;
      while (windows[i] != null) {
        i = (i + 1) & m;
      }
      hashes[i] = h;
      windows[i] = w;
      size++;
    }

    private void grow() {
      long[] oldHashes = hashes;
      char[][] oldWindows = windows;
      hashes = new long[oldHashes.length * 2];
      windows = new char[oldWindows.length * 2][];
      size = 0;
      for (int i = 0; i < oldWindows.length; i++) {
        if (oldWindows[i] != null) {
          put(oldHashes[i], oldWindows[i]);
        }
      }
    }

    /**
     * Whether a window with hash {@code h} equals the {@code len} characters of {@code ring} (of
     * {@code ringSize}) that end before index {@code end}, wrapping around.
     */
    boolean find(long h, char[] ring, int end, int ringSize) {
      int m = windows.length - 1;
      for (int i = slot(h) & m; windows[i] != null; i = (i + 1) & m) {
        if (hashes[i] == h && equal(windows[i], ring, end, ringSize)) {
          return true;
        }
      }
      return false;
    }

    private boolean equal(char[] w, char[] ring, int end, int ringSize) {
      for (int k = 0; k < len; k++) {
        int at = end - len + k;
        if (at < 0) {
          at += ringSize;
        }
        if (w[k] != ring[at]) {
          return false;
        }
      }
      return true;
    }

    private static int slot(long h) {
      long x = h * 0x9e3779b97f4a7c15L;
      return (int) (x ^ (x >>> 32));
    }
  }

  /**
   * One masking pass over one text. The text is read in units (a character, {@code %XX}, a JSON
   * escape); line breaks and the indentation after them are skipped. The last {@value #MIN_PART}
   * units are kept in a ring, with their original spans and the start of the Base64/hex run each
   * belongs to. Masked spans grow monotonically, so each is either merged into the pending one or
   * ends it; the output is built once.
   */
  private static final class Scan {
    private final String text;
    private final Table[] tables;
    private final long[] rolling;
    private final char[] ring = new char[MIN_PART];
    private final int[] from = new int[MIN_PART];
    private final int[] to = new int[MIN_PART];
    private final int[] runStart = new int[MIN_PART];
    private final byte[] kind = new byte[MIN_PART];
    private long count; // units read
    private int currentRun = -1; // where the run of the last unit began; -1 when not in a run

    private StringBuilder out;
    private int copied; // text before this is in out (or masked)
    private int pendingStart = -1; // the masked span not yet written, or -1
    private int pendingEnd;
    private byte extending = OTHER; // RUN or PAD while the pending span grows over its run

    Scan(String text, List<Table> tables) {
      this.text = text;
      this.tables = tables.toArray(new Table[0]);
      this.rolling = new long[this.tables.length];
    }

    String run() {
      String t = text;
      int n = t.length();
      int i = 0;
      boolean gap = false; // units were skipped (a line break) since the last one
      boolean afterBreak = false;
      while (i < n) {
        char ch = t.charAt(i);
        int c = ch;
        int len = 1;
        if (ch == '%') {
          int v = hex(t, i + 1, 2);
          if (v >= 0) {
            int j = i + 1;
            while (v == '%') { // %25XX: encoded twice
              int w = hex(t, j + 2, 2);
              if (w < 0) {
                break;
              }
              j += 2;
              v = w;
            }
            c = v;
            len = j + 2 - i;
          }
        } else if (ch == '\\') {
          int j = i + 1;
          while (j < n && t.charAt(j) == '\\') {
            j++; // escaped once or more
          }
          char e = j < n ? t.charAt(j) : 0;
          int v;
          if (e == 'u' && (v = hex(t, j + 1, 4)) >= 0) {
            c = v;
            len = j + 5 - i;
          } else if (e == '/' || e == '"') {
            c = e;
            len = j + 1 - i;
          } else if (e == 'n' || e == 'r') {
            c = '\n';
            len = j + 1 - i;
          } else if (e == 't' || e == 'b' || e == 'f') {
            c = ' ';
            len = j + 1 - i;
          } else {
            len = j - i; // backslashes before anything else: one unit, then that as it is
          }
        }
        if (c == '\n' || c == '\r') {
          gap = true;
          afterBreak = true;
        } else if (afterBreak && (c == ' ' || c == '\t')) {
          // indentation of a folded line: skipped too
        } else {
          afterBreak = false;
          unit(c, i, i + len, gap);
          gap = false;
        }
        i += len;
      }
      if (pendingStart < 0 && out == null) {
        return text;
      }
      flush();
      return out.append(text, copied, n).toString();
    }

    private void unit(int c, int start, int end, boolean gap) {
      byte k = classOf(c);
      if (extending != OTHER) {
        if (!gap && k == RUN && extending == RUN) {
          pendingEnd = end;
        } else if (!gap && k == PAD) {
          extending = PAD;
          pendingEnd = end;
        } else {
          extending = OTHER;
        }
      }
      if (k == RUN) {
        if (gap || currentRun < 0) {
          currentRun = start;
        }
      } else {
        currentRun = -1;
      }
      char norm = normalise((char) c);
      int at = (int) (count % MIN_PART);
      for (int t = 0; t < tables.length; t++) {
        Table table = tables[t];
        long h = rolling[t];
        if (count >= table.len) {
          h -= ring[(int) ((count - table.len) % MIN_PART)] * table.power;
        }
        rolling[t] = h * BASE + norm;
      }
      ring[at] = norm;
      from[at] = start;
      to[at] = end;
      runStart[at] = k == RUN ? currentRun : start;
      kind[at] = k;
      count++;
      int ringEnd = (int) (count % MIN_PART);
      for (int t = 0; t < tables.length; t++) {
        Table table = tables[t];
        if (count >= table.len && table.find(rolling[t], ring, ringEnd, MIN_PART)) {
          int first = (int) ((count - table.len) % MIN_PART);
          mask(table.extend ? runStart[first] : from[first], end);
          if (table.extend) {
            extending = k; // RUN or PAD: grow over the rest of the run; OTHER: do not
          }
        }
      }
    }

    private void mask(int start, int end) {
      int s = Math.max(start, copied);
      if (pendingStart >= 0 && s <= pendingEnd) {
        pendingStart = Math.min(pendingStart, s);
        pendingEnd = Math.max(pendingEnd, end);
        return;
      }
      flush();
      pendingStart = s;
      pendingEnd = end;
      extending = OTHER; // a new span: the caller says whether it grows
    }

    private void flush() {
      if (pendingStart < 0) {
        return;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, pendingStart).append(MASK);
      copied = pendingEnd;
      pendingStart = -1;
    }
  }

  /** The value of {@code digits} hex digits at {@code at}, or -1. */
  private static int hex(String t, int at, int digits) {
    if (at + digits > t.length()) {
      return -1;
    }
    int v = 0;
    for (int k = 0; k < digits; k++) {
      char c = t.charAt(at + k);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return -1; // ASCII only: Character.digit would take other scripts' digits too
      }
      v = v * 16 + d;
    }
    return v;
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
