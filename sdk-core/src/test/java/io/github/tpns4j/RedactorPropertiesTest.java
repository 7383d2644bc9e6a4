package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import okhttp3.Request;

/**
 * Masking, by shape: a server echoes a piece (12 characters or more) of the secret, the Basic
 * credentials, the secret in Base64 or the {@code Sign}, cut anywhere, in any case, URL-encoded or
 * JSON-escaped, split across lines, glued to other text, in any wrapping and carrier; no part of
 * {@link Redactor#MIN_PART} characters (at most the 12 promised) of any of them survives in what
 * {@link Redactor#mask}, {@link Redactor#quote} or {@link Redactor#sanitize} give back. Ordinary
 * text is left as it is.
 */
class RedactorPropertiesTest {
  /** The promise: no part this long of a value survives. */
  private static final int PROMISED = 12;

  private static final String HEX = "0123456789abcdef";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String[] PREFIXES = {
    "",
    "key=",
    "sign=",
    "Sign: ",
    "\"",
    "&x=",
    ";",
    "HTTP/1.1 ",
    "Unexpected status line: HTTP/1.1 Sign=",
    "{\"err_msg\":\"",
    "Number too large: ",
    "secret:",
    "Authorization: Basic ",
    "'",
    "(",
    "<b>",
    "/v3/device/",
  };
  private static final String[] SUFFIXES = {
    "", "\"", "&y=2", ";", "...", "\"}", " HTTP/1.1", "\n", ")", "'", " tokens", "</b>", ".",
  };
  private static final String[] BREAKS = {
    "\n", "\r\n", "\\n", "\\r\\n", "\n    ", "\r\n\t", "\\n  ", "\r",
  };
  private static final String[] FILLER = {
    "token_accounts has 21 tokens",
    "{\"ret_code\":1008007,",
    "\"err_msg\":\"account not found\"",
    "HTTP/1.1 500 Internal Server Error",
    "timestamp 1700000000",
    "access id 1500001048",
    "Content-Length: 1234",
    "%2Fv3%2Fdevice%2Faccount%2Fbatchoperate",
    "seq=42&",
    "\"account_list\":[{\"account\":\"user-1\",\"account_type\":0}]",
    "Expected BEGIN_OBJECT but was STRING at line 1 column 2 path $",
    "\\u0041ccess denied",
    "chunk size 1f4a",
    " ",
    "\n",
  };

  /** One echoed piece in one shape, and everything needed to mask and check it. */
  record Shape(
      String secret,
      String basic,
      String sign,
      String target,
      String piece,
      String text,
      Request request) {
    @Override
    public String toString() {
      return "Shape[secret="
          + secret
          + ", sign="
          + sign
          + ", piece="
          + piece
          + " of "
          + target
          + ", text="
          + text.replace("\r", "\\r").replace("\n", "\\n")
          + "]";
    }
  }

  @Provide
  Arbitrary<Shape> shapes() {
    return Arbitraries.longs().map(RedactorPropertiesTest::shape);
  }

  @Property(tries = 2000)
  void noPartOfAValueSurvivesInAnyShape(@ForAll("shapes") Shape s) {
    Redactor redactor = new Redactor(s.secret, s.basic);
    List<String> values = new ArrayList<>();
    values.add(s.secret);
    values.add(s.basic);
    values.add(base64(s.secret.getBytes(StandardCharsets.UTF_8)));
    if (s.sign != null) {
      values.add(s.sign);
    }
    Set<String> parts = parts(values, Redactor.MIN_PART);
    // The shape is one the check understands: the unmasked text shows the piece.
    assertThat(survivor(normalise(s.text), parts(List.of(s.piece), PROMISED)))
        .as("the piece in the unmasked text")
        .isNotNull();

    String masked = redactor.mask(s.text, s.request);
    assertThat(survivor(normalise(masked), parts)).as("survivor in %s", masked).isNull();

    String quoted = redactor.quote(s.text, s.request);
    assertThat(quoted.length()).isLessThanOrEqualTo(Redactor.MAX_QUOTED + 3);
    assertThat(survivor(normalise(quoted), parts)).as("survivor in %s", quoted).isNull();

    IOException inner = new IOException(s.text);
    RuntimeException outer = new RuntimeException("wrapped: " + s.text, inner);
    outer.addSuppressed(new IllegalStateException(s.text));
    for (String m : messages(redactor.sanitize(outer, s.request), new ArrayList<>())) {
      assertThat(survivor(normalise(m), parts)).as("survivor in %s", m).isNull();
    }
  }

  @Property(tries = 1000)
  void ordinaryTextIsLeftAlone(@ForAll long seed) {
    Random r = new Random(seed);
    Shape s = shape(r.nextLong()); // values and a request; its text is not used
    StringBuilder b = new StringBuilder();
    int words = 1 + r.nextInt(20);
    for (int i = 0; i < words; i++) {
      switch (r.nextInt(4)) {
        case 0:
          b.append(r.nextLong());
          break;
        case 1:
          b.append(r.nextInt(1_000_000));
          break;
        default:
          b.append(FILLER[r.nextInt(FILLER.length)]);
      }
      b.append(r.nextBoolean() ? " " : "");
    }
    String text = b.toString();
    assertThat(new Redactor(s.secret, s.basic).mask(text, s.request)).isSameAs(text);
  }

  @Example
  void theContractIsKept() {
    assertThat(Redactor.MIN_PART).isBetween(1, PROMISED);
  }

  static Shape shape(long seed) {
    Random r = new Random(seed);
    String secret = r.nextInt(3) == 0 ? random(r, ALNUM, 12 + r.nextInt(30)) : random(r, HEX, 32);
    String accessId = "15" + random(r, "0123456789", 8);
    String basic = base64((accessId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    boolean signature = r.nextBoolean();
    String sign = null;
    Request.Builder request = new Request.Builder().url("http://127.0.0.1/v3/device/account/query");
    if (signature) {
      byte[] body = new byte[r.nextInt(200)];
      r.nextBytes(body);
      if (r.nextBoolean()) {
        sign = new Signer(accessId, secret).sign(1_700_000_000L + r.nextInt(1_000_000), body);
      } else {
        // Not what the Signer makes (its Base64 has no + or /), but what a header could hold.
        byte[] raw = new byte[32 + r.nextInt(48)];
        r.nextBytes(raw);
        sign = base64(raw);
      }
      request.header("Sign", sign).header("AccessId", accessId).header("TimeStamp", "1700000000");
    } else {
      request.header("Authorization", "Basic " + basic);
    }
    List<String> targets = new ArrayList<>();
    targets.add(secret);
    targets.add(basic);
    targets.add(base64(secret.getBytes(StandardCharsets.UTF_8)));
    if (sign != null) {
      targets.add(sign);
    }
    String target = targets.get(r.nextInt(targets.size()));
    int len = PROMISED + r.nextInt(target.length() - PROMISED + 1);
    int from = r.nextInt(target.length() - len + 1);
    String piece = target.substring(from, from + len);

    StringBuilder text = new StringBuilder();
    filler(r, text);
    text.append(PREFIXES[r.nextInt(PREFIXES.length)]);
    text.append(random(r, ALNUM, r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 0));
    encode(r, piece, text);
    text.append(random(r, ALNUM, r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 0));
    text.append(SUFFIXES[r.nextInt(SUFFIXES.length)]);
    filler(r, text);
    return new Shape(secret, basic, sign, target, piece, text.toString(), request.build());
  }

  /** Ordinary text around the piece: none, a little, or up to a page and more. */
  private static void filler(Random r, StringBuilder b) {
    int words = new int[] {0, 0, 1, 3, 20, 60}[r.nextInt(6)];
    for (int i = 0; i < words; i++) {
      b.append(FILLER[r.nextInt(FILLER.length)]).append(' ');
    }
  }

  /** {@code piece} in a random encoding: case, URL-safe letters, %XX, JSON escapes, breaks. */
  private static void encode(Random r, String piece, StringBuilder b) {
    int caseMode = r.nextInt(4); // as it is, upper, lower, each character at random
    boolean urlSafe = r.nextInt(5) == 0;
    boolean formSpace = r.nextInt(6) == 0;
    double encodeChance = new double[] {0, 0, 0.1, 0.5, 1}[r.nextInt(5)];
    double breakChance = new double[] {0, 0, 0.05, 0.2}[r.nextInt(4)];
    for (int i = 0; i < piece.length(); i++) {
      char c = piece.charAt(i);
      if (caseMode == 1 || (caseMode == 3 && r.nextBoolean())) {
        c = Character.toUpperCase(c);
      } else if (caseMode == 2 || caseMode == 3) {
        c = Character.toLowerCase(c);
      }
      if (urlSafe) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
      }
      if (formSpace && c == '+') {
        b.append(' '); // a form-encoded +, read back by the server as a space
        continue;
      }
      if (i > 0 && r.nextDouble() < breakChance) {
        b.append(BREAKS[r.nextInt(BREAKS.length)]);
      }
      if (r.nextDouble() < encodeChance) {
        String hex2 = String.format(r.nextBoolean() ? "%02X" : "%02x", (int) c);
        switch (r.nextInt(c == '/' ? 5 : 4)) {
          case 0:
            b.append('%').append(hex2);
            break;
          case 1:
            b.append("%25").append(hex2);
            break;
          case 2:
            b.append("\\u00").append(hex2);
            break;
          case 3:
            b.append("\\\\u00").append(hex2); // escaped twice: JSON in a JSON string
            break;
          default:
            b.append("\\/");
        }
      } else {
        b.append(c);
      }
    }
  }

  private static String random(Random r, String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static final Pattern PERCENT = Pattern.compile("%([0-9a-fA-F]{2})");
  private static final Pattern UNICODE = Pattern.compile("\\\\+u([0-9a-fA-F]{4})");
  private static final Pattern SLASH = Pattern.compile("\\\\+/");
  private static final Pattern ESCAPED_BREAK = Pattern.compile("\\\\+[nr]");
  private static final Pattern BREAK = Pattern.compile("(?:[\r\n][ \t]*)+");

  /**
   * The text as the check compares it, written independently of {@link Redactor}: decoded until
   * nothing changes, line breaks and the indentation after them dropped, lower case, URL-safe
   * Base64 letters and spaces read as standard Base64.
   */
  static String normalise(String s) {
    String prev;
    do {
      prev = s;
      s =
          PERCENT
              .matcher(s)
              .replaceAll(m -> quoteReplacement((char) Integer.parseInt(m.group(1), 16)));
      s =
          UNICODE
              .matcher(s)
              .replaceAll(m -> quoteReplacement((char) Integer.parseInt(m.group(1), 16)));
      s = SLASH.matcher(s).replaceAll("/");
      s = ESCAPED_BREAK.matcher(s).replaceAll("\n");
    } while (!s.equals(prev));
    s = BREAK.matcher(s).replaceAll("");
    return s.toLowerCase(Locale.ROOT).replace('-', '+').replace('_', '/').replace(' ', '+');
  }

  private static String quoteReplacement(char c) {
    return java.util.regex.Matcher.quoteReplacement(String.valueOf(c));
  }

  /** Every part of length {@code n} of every value, normalised. */
  static Set<String> parts(List<String> values, int n) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      String norm = normalise(v);
      for (int i = 0; i + n <= norm.length(); i++) {
        out.add(norm.substring(i, i + n));
      }
    }
    return out;
  }

  /** A part found in {@code text}, or null. */
  static String survivor(String text, Set<String> parts) {
    for (String p : parts) {
      if (text.contains(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<String> messages(Throwable t, List<String> out) {
    if (t == null || out.size() > 100) {
      return out;
    }
    out.add(String.valueOf(t.getMessage()));
    out.add(String.valueOf(t));
    for (Throwable s : t.getSuppressed()) {
      messages(s, out);
    }
    return t.getCause() == t ? out : messages(t.getCause(), out);
  }
}
