package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";
  private static final String SIGN =
      "Y2QyMDc3NDY4MmJmNzhiZmRiNDNlMTdkMWQ1ZDU2YjNlNWI3ODlhMTY3MGZjMTUyN2VmNTRjNjVkMmQ3Yjc2ZA==";
  private final Redactor redactor = new Redactor(SECRET);
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
