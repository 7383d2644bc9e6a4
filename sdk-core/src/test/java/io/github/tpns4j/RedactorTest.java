package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";
  private static final String SIGN =
      "Y2QyMDc3NDY4MmJmNzhiZmRiNDNlMTdkMWQ1ZDU2YjNlNWI3ODlhMTY3MGZjMTUyN2VmNTRjNjVkMmQ3Yjc2ZA==";

  /** A Basic value (as the client's is, but any configured value will do) with + and /. */
  private static final String BASIC = "MTUwMDAwMTA0ODp+/2J4c2VjcmV0+/k9Zz0xMjM0NTY3ODkwYWJj";

  private final Redactor redactor = new Redactor(SECRET);
  private final Redactor withBasic = new Redactor(SECRET, BASIC);
  private final Request request =
      new Request.Builder().url("http://127.0.0.1/").header("Sign", SIGN).build();

  @Test
  void masksExactValuesPiecesOfThemAndTheSign() {
    String text = "a " + SECRET + " b " + SIGN + " c " + SIGN.substring(10, 30) + " d plain-words";
    assertThat(redactor.mask(text, request)).isEqualTo("a *** b *** c *** d plain-words");
  }

  @Test
  void leavesRunsThatAreNotPartOfASecretAlone() {
    String text = "token_0123456789 and 1008007 and abcdefghijkl";
    assertThat(redactor.mask(text, request)).isSameAs(text);
  }

  // The shapes that leaked (issue 23, item 6), each as the harness saw it.

  @Test
  void masksASecretPartAfterAnEqualsSign() {
    Redactor r = new Redactor("abcdef0123456789abcdef0123456789");
    assertThat(r.mask("bad key=abcdef0123456789abcd", request)).isEqualTo("bad key=***");
  }

  @Test
  void masksACutShortSignAfterAnEqualsSign() {
    String text = "sign=" + SIGN.substring(0, 20) + "...";
    assertThat(redactor.mask(text, request)).isEqualTo("sign=***...");
  }

  @Test
  void masksACutShortSignAfterAColonAsBefore() {
    String text = "Sign: " + SIGN.substring(0, 20) + "...";
    assertThat(redactor.mask(text, request)).isEqualTo("Sign: ***...");
  }

  @Test
  void masksASignGluedToAStatusLine() {
    String text = "Unexpected status line: HTTP/1.1 Sign=" + SIGN.substring(0, 24) + "...";
    assertThat(redactor.mask(text, request))
        .isEqualTo("Unexpected status line: HTTP/1.1 Sign=***...");
  }

  @Test
  void masksARunLongerThanTheValueThatHoldsAPieceOfIt() {
    String text = "got token" + SIGN.substring(30, 70) + "Zx9 and more";
    assertThat(redactor.mask(text, request)).isEqualTo("got *** and more");
  }

  @Test
  void masksASecretQuotedByOkioWithALetterGluedOn() {
    // okio: "Number too large: 6f1a9c0e7b2d4e8fA", 16 characters of the secret and one more.
    String text = "Number too large: " + SECRET.substring(7, 23) + "A";
    assertThat(redactor.mask(text, request)).isEqualTo("Number too large: ***");
  }

  @Test
  void masksValuesInAnyLetterCase() {
    String text = "a " + SECRET.toUpperCase() + " b " + SIGN.substring(3, 40).toLowerCase() + " c";
    assertThat(redactor.mask(text, request)).isEqualTo("a *** b *** c");
  }

  @Test
  void masksUrlEncodedValues() throws Exception {
    String text =
        "auth=" + URLEncoder.encode(BASIC, "UTF-8") + "&sign=" + URLEncoder.encode(SIGN, "UTF-8");
    assertThat(text).contains("%2B%2F").contains("%3D%3D");
    assertThat(withBasic.mask(text, request)).isEqualTo("auth=***&sign=***");
    String twice = "x=" + URLEncoder.encode(URLEncoder.encode(BASIC, "UTF-8"), "UTF-8") + ";";
    assertThat(withBasic.mask(twice, request)).isEqualTo("x=***;");
  }

  @Test
  void masksJsonEscapedValues() {
    String escaped = BASIC.replace("/", "\\/").replace("+", "\\u002B");
    String text = "{\"err_msg\":\"bad Basic " + escaped.substring(4, 40) + "\",\"ret_code\":1}";
    assertThat(withBasic.mask(text, request))
        .isEqualTo("{\"err_msg\":\"bad Basic ***\",\"ret_code\":1}");
  }

  @Test
  void masksValuesSplitAcrossLines() {
    // Six characters on each side of the break: neither side is a part by itself.
    String text =
        "key=" + SECRET.substring(0, 6) + "\r\n" + SECRET.substring(6, 12) + "\nnext line";
    assertThat(redactor.mask(text, request)).isEqualTo("key=***\nnext line");
    String folded = "Sign: " + SIGN.substring(0, 40) + "\n    " + SIGN.substring(40) + " end";
    assertThat(redactor.mask(folded, request)).isEqualTo("Sign: *** end");
  }

  @Test
  void masksTheSecretInBase64AndTheHexTextTheSignEncodes() {
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String shifted =
        Base64.getEncoder().encodeToString(("x" + SECRET).getBytes(StandardCharsets.UTF_8));
    String hex = new String(Base64.getDecoder().decode(SIGN), StandardCharsets.US_ASCII);
    String text = "1 " + b64 + " 2 " + shifted.substring(4) + " 3 " + hex.substring(5, 30) + " 4";
    assertThat(redactor.mask(text, request)).isEqualTo("1 *** 2 *** 3 *** 4");
  }

  @Test
  void masksTheBasicCredentialsOfTheRequest() {
    Request basic =
        new Request.Builder()
            .url("http://127.0.0.1/")
            .header("Authorization", "Basic " + BASIC)
            .build();
    assertThat(new Redactor(SECRET).mask("auth " + BASIC.substring(10, 30), basic))
        .isEqualTo("auth ***");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text =
        "token_accounts has 21 tokens; {\"ret_code\":1008007,\"err_msg\":\"account not found\","
            + "\"token_accounts\":[{\"token\":\"0123456789abcdef\",\"account_list\":[]}],"
            + "\"seq\":1700000000123} HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1234"
            + " %2Fv3%2Fdevice%2Faccount%2Fbatchoperate \\u0041ccess id 1500001048";
    assertThat(withBasic.mask(text, request)).isSameAs(text);
  }

  @Test
  void masksAPieceInAHundredKilobyteBody() {
    StringBuilder b = new StringBuilder();
    while (b.length() < 50_000) {
      b.append("{\"ret_code\":10110} ");
    }
    b.append("Sign=").append(SIGN.substring(11, 23).toUpperCase()).append(' ');
    while (b.length() < 100_000) {
      b.append("{\"ret_code\":10110} ");
    }
    String masked = redactor.mask(b.toString(), request);
    assertThat(masked).contains("Sign=*** ").hasSize(b.length() - 12 + 3);
  }

  @Test
  void quotesAtMost200CharactersWithControlCharactersAsSpaces() {
    StringBuilder b = new StringBuilder("line\none\t");
    while (b.length() < 10_000) {
      b.append("x ");
    }
    String q = redactor.quote(b.toString(), request);
    assertThat(q).startsWith("line one ").endsWith("...").hasSize(Redactor.MAX_QUOTED + 3);
  }

  @Test
  void masksAMebibyteOfHostileTextInOnePass() {
    // 8-character pieces of the Sign, 1 MiB of them: every run must be masked. Rebuilding the
    // text per masked run (as before) is quadratic: minutes here. This is a guard against a hang,
    // not a speed measurement.
    StringBuilder b = new StringBuilder();
    String piece = SIGN.substring(0, 8) + " ";
    while (b.length() < 1024 * 1024) {
      b.append(piece);
    }
    String hostile = b.toString();
    String masked =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> redactor.mask(hostile, request));
    assertThat(masked).doesNotContain(SIGN.substring(0, 8)).startsWith("*** *** ");
    assertThat(masked.length()).isEqualTo(hostile.length() / piece.length() * 4);
  }

  @Test
  void masksAMebibyteOfHostileEncodingsInOnePass() {
    // Each would be quadratic if a unit, a run or a span were rescanned: nested %25, runs of
    // backslashes, one run of Base64 letters with a piece of the Sign at its end, and a text
    // that matches at every character (the secret over and over, glued).
    int size = 1024 * 1024;
    String[] hostile = {
      repeat("%25", size / 3) + "41",
      repeat("\\\\", size / 2) + "u002b",
      repeat("Qx", size / 2) + SIGN.substring(0, 12),
      repeat(SECRET.toUpperCase(), size / SECRET.length()),
      repeat("%2" + SECRET.substring(0, 7) + "\r\n", size / 12),
    };
    String[] expected = {null, null, "***", "***", null};
    for (int i = 0; i < hostile.length; i++) {
      String text = hostile[i];
      String masked =
          assertTimeoutPreemptively(Duration.ofSeconds(20), () -> redactor.mask(text, request));
      if (expected[i] == null) {
        assertThat(masked).isSameAs(text);
      } else {
        assertThat(masked).isEqualTo(expected[i]);
      }
    }
  }

  private static String repeat(String s, int times) {
    StringBuilder b = new StringBuilder(s.length() * times);
    for (int i = 0; i < times; i++) {
      b.append(s);
    }
    return b.toString();
  }

  @Test
  void sanitizeKeepsACleanThrowableAndCopiesOneThatQuotesTheServer() {
    IOException clean = new IOException("unexpected end of stream");
    assertThat(redactor.sanitize(clean, request)).isSameAs(clean);

    StringBuilder page = new StringBuilder("Unexpected status line: ").append(SIGN);
    while (page.length() < 5_000) {
      page.append(" q");
    }
    IOException inner = new IOException(page.toString());
    RuntimeException outer = new RuntimeException("wrapped", inner);
    outer.addSuppressed(new IllegalStateException(SECRET));
    Throwable safe = redactor.sanitize(outer, request);
    assertThat(safe).isNotSameAs(outer).hasMessage("java.lang.RuntimeException: wrapped");
    assertThat(safe.getStackTrace()).isEqualTo(outer.getStackTrace());
    assertThat(safe.getCause().getMessage())
        .startsWith("java.io.IOException: Unexpected status line: ***")
        .hasSizeLessThanOrEqualTo("java.io.IOException: ".length() + Redactor.MAX_QUOTED + 3);
    assertThat(safe.getSuppressed())
        .singleElement()
        .satisfies(
            s -> assertThat(s.getMessage()).isEqualTo("java.lang.IllegalStateException: ***"));
  }

  @Test
  void sanitizeKeepsAnErrorAsItIs() {
    OutOfMemoryError oom = new OutOfMemoryError(SIGN);
    assertThat(redactor.sanitize(oom, request)).isSameAs(oom);
  }
}
