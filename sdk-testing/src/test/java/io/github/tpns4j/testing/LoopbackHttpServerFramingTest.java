package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.tpns4j.account.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP/1.1 framing as RFC 9112 asks, said on a raw socket to the fake: a request whose length is
 * ambiguous is refused with 400 and the connection closed, so that nothing after it (here a signed
 * request binding a token, the smuggled request) is ever served as a request of its own.
 */
class LoopbackHttpServerFramingTest {
  private static final String BATCH = "POST " + FakeTpnsServer.BATCH_PATH;
  private static final String SMUGGLED_TOKEN = "smuggled-token";

  private FakeTpnsServer tpns;

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
  }

  @AfterEach
  void stop() {
    tpns.close();
  }

  /** The head of an HTTP/1.1 request signed for this body, without its framing headers. */
  private String signedHead(String body) {
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    return BATCH
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccessId: "
        + tpns.accessId()
        + "\r\nTimeStamp: "
        + ts
        + "\r\nSign: "
        + FakeTpnsServer.sign(
            tpns.secretKey(), ts, tpns.accessId(), body.getBytes(StandardCharsets.UTF_8))
        + "\r\n";
  }

  /** A whole HTTP/1.1 request, signed for the fake, binding {@code token} to "smuggler". */
  private String bind(String version, String token, String extraHeaders) {
    String body =
        "{\"operator_type\":2,\"token_accounts\":[{\"token\":\""
            + token
            + "\",\"account_list\":[{\"account\":\"smuggler\"}]}]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    return BATCH
        + " "
        + version
        + "\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccessId: "
        + tpns.accessId()
        + "\r\nTimeStamp: "
        + ts
        + "\r\nSign: "
        + FakeTpnsServer.sign(tpns.secretKey(), ts, tpns.accessId(), bytes)
        + "\r\n"
        + extraHeaders
        + "Content-Length: "
        + bytes.length
        + "\r\n\r\n"
        + body;
  }

  private String smuggled() {
    return bind("HTTP/1.1", SMUGGLED_TOKEN, "");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // name | the head's framing headers | what follows the head, before the smuggled request
        "Transfer-Encoding and Content-Length| Transfer-Encoding: chunked~Content-Length: SMUGGLED+5 | 0~~",
        "Content-Length and Transfer-Encoding| Content-Length: SMUGGLED+5~Transfer-Encoding: chunked | 0~~",
        "space between the name and the colon| Transfer-Encoding : chunked | 0~~",
        "tab between the name and the colon| Transfer-Encoding<TAB>: chunked | 0~~",
        "a folded header line (obs-fold)| X-A: b~ Transfer-Encoding: chunked | 0~~",
        "two Content-Length, different| Content-Length: SMUGGLED~Content-Length: 0 | ",
        "two Content-Length, equal| Content-Length: 0~Content-Length: 0 | ",
        "a Content-Length list| Content-Length: 0, 0 | ",
        "a signed Content-Length| Content-Length: +0 | ",
        "a chunk size with a plus sign| Transfer-Encoding: chunked | +5~hello~0~~",
        "a chunk size with a minus sign| Transfer-Encoding: chunked | -0~~",
        "a chunk size after white space| Transfer-Encoding: chunked | <TAB>5~hello~0~~",
        "a chunk size in 0x notation| Transfer-Encoding: chunked | 0x5~hello~0~~",
        "chunk data longer than its size| Transfer-Encoding: chunked | 5~helloXX~0~~",
        "an unknown transfer coding alone| Transfer-Encoding: identity | ",
        "chunked not the final coding| Transfer-Encoding: chunked, identity | 0~~",
        "chunked twice| Transfer-Encoding: chunked~Transfer-Encoding: chunked | 0~~",
        "a bare CR in a header line| X-A: b<CR>Transfer-Encoding: chunked | 0~~",
      })
  void anAmbiguousLengthIsRefusedWith400AndTheConnectionClosed(
      String what, String framing, String after) throws Exception {
    String smuggled = smuggled();
    String head =
        BATCH
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + crlf(framing.replace("SMUGGLED+5", "" + (smuggled.length() + 5)))
                .replace("SMUGGLED", "" + smuggled.length())
            + "\r\n\r\n";
    List<Integer> statuses = statuses(exchange(head + crlf(after == null ? "" : after) + smuggled));

    assertThat(statuses).as(what).containsExactly(400);
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).as(what).isEmpty();
    assertThat(tpns.requestCount()).as(what + ": the refused request is counted").isEqualTo(1);
  }

  @Test
  void aTransferCodingOtherThanChunkedIsNotImplemented() throws Exception {
    String head =
        BATCH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";
    assertThat(statuses(exchange(head + smuggled()))).containsExactly(501);
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).isEmpty();
    assertThat(tpns.requestCount()).isEqualTo(1);
  }

  @Test
  void transferEncodingInAnHttp10RequestIsRefused() throws Exception {
    String head =
        BATCH + " HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assertThat(statuses(exchange(head + smuggled()))).containsExactly(400);
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).isEmpty();
  }

  @Test
  void anHttp10RequestIsAnsweredAndItsConnectionClosed() throws Exception {
    String first = bind("HTTP/1.0", "first-token", "");
    assertThat(statuses(exchange(first + smuggled()))).containsExactly(200);
    assertThat(tpns.accountsOf("first-token")).containsExactly(Account.of("smuggler", 0));
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).isEmpty();
    assertThat(tpns.requestCount()).isEqualTo(1);
  }

  @Test
  void anHttp10RequestAskingForKeepAliveIsClosedToo() throws Exception {
    String first = bind("HTTP/1.0", "first-token", "Connection: keep-alive\r\n");
    assertThat(statuses(exchange(first + smuggled()))).containsExactly(200);
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"close", "Close", "keep-alive, close", "upgrade,close"})
  void connectionCloseIsAnsweredAndTheConnectionClosed(String connection) throws Exception {
    String first = bind("HTTP/1.1", "first-token", "Connection: " + connection + "\r\n");
    assertThat(statuses(exchange(first + smuggled()))).as(connection).containsExactly(200);
    assertThat(tpns.accountsOf("first-token")).containsExactly(Account.of("smuggler", 0));
    assertThat(tpns.accountsOf(SMUGGLED_TOKEN)).as(connection).isEmpty();
  }

  @Test
  void pipelinedKeepAliveRequestsAreEachAnsweredInOrder() throws Exception {
    String raw =
        bind("HTTP/1.1", "t1", "")
            + bind("HTTP/1.1", "t2", "")
            + signedHead("{{{")
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\n{{{\r\n0\r\nX-Trailer: y\r\n\r\n"
            + bind("HTTP/1.1", "t3", "Connection: close\r\n");
    List<Response> answers = responses(exchange(raw));
    assertThat(answers).extracting(r -> r.status).containsExactly(200, 200, 200, 200);
    assertThat(answers.get(2).body).contains("1008001"); // the chunked body "{{{" was read as such
    assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("smuggler", 0));
    assertThat(tpns.accountsOf("t3")).containsExactly(Account.of("smuggler", 0));
    assertThat(tpns.requestCount()).isEqualTo(4);
  }

  @Test
  void requestCountCountsTheRequestsRefusedAsMalformedOrTooLarge() throws Exception {
    assertThat(statuses(exchange("GARBAGE\r\n\r\n"))).containsExactly(400);
    assertThat(
            statuses(
                exchange(BATCH + " HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n")))
        .containsExactly(413);
    assertThat(statuses(exchange(BATCH + " HTTP/1.1\r\nX: " + "y".repeat(20_000) + "\r\n\r\n")))
        .containsExactly(431);
    // not requests: a TLS handshake, and a client that leaves in the middle of its head
    assertThat(statuses(exchange("\u0016\u0003\u0001\u0000"))).isEmpty();
    try (Socket s = connect()) {
      s.getOutputStream().write(ascii(BATCH + " HTTP/1.1\r\nHost: a\r\n"));
    }
    assertThat(tpns.requestCount()).isEqualTo(3);
    assertThat(statuses(exchange(bind("HTTP/1.1", "t", "Connection: close\r\n"))))
        .containsExactly(200);
    assertThat(tpns.requestCount()).isEqualTo(4);
  }

  // ---- raw HTTP

  private static String crlf(String s) {
    return s.trim().replace("~", "\r\n").replace("<TAB>", "\t").replace("<CR>", "\r");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private Socket connect() throws IOException {
    int port = okhttp3.HttpUrl.get(tpns.baseUrl()).port();
    return new Socket(InetAddress.getLoopbackAddress(), port);
  }

  /**
   * Writes the bytes and reads until the server closes the connection. The client never closes its
   * side first: a server that leaves the connection open fails the test (after 10 s).
   */
  private byte[] exchange(String raw) throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(ascii(raw));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) != -1; ) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        fail(
            "the server kept the connection open after answering: "
                + got.toString(StandardCharsets.ISO_8859_1));
      }
      return got.toByteArray();
    }
  }

  static final class Response {
    final int status;
    final String body;
    final boolean close;

    Response(int status, String body, boolean close) {
      this.status = status;
      this.body = body;
      this.close = close;
    }
  }

  private static List<Integer> statuses(byte[] answers) {
    List<Integer> out = new ArrayList<>();
    for (Response r : responses(answers)) {
      out.add(r.status);
    }
    return out;
  }

  /** The answers, one after the other, each framed by its Content-Length. */
  static List<Response> responses(byte[] answers) {
    String all = new String(answers, StandardCharsets.ISO_8859_1);
    List<Response> out = new ArrayList<>();
    int at = 0;
    while (at < all.length()) {
      int end = all.indexOf("\r\n\r\n", at);
      assertThat(end).as("a whole head in %s", all.substring(at)).isPositive();
      String[] lines = all.substring(at, end).split("\r\n");
      assertThat(lines[0]).startsWith("HTTP/1.1 ");
      int status = Integer.parseInt(lines[0].substring(9, 12));
      int length = -1;
      boolean close = false;
      for (int i = 1; i < lines.length; i++) {
        String l = lines[i].toLowerCase(Locale.ROOT);
        if (l.startsWith("content-length:")) {
          length = Integer.parseInt(l.substring(15).trim());
        } else if (l.equals("connection: close")) {
          close = true;
        }
      }
      assertThat(length).as("Content-Length of %s", lines[0]).isNotNegative();
      out.add(new Response(status, all.substring(end + 4, end + 4 + length), close));
      at = end + 4 + length;
      if (close) {
        assertThat(at)
            .as("nothing after an answer that says Connection: close")
            .isEqualTo(all.length());
      }
    }
    if (!out.isEmpty() && out.get(out.size() - 1).status >= 400) {
      assertThat(out.get(out.size() - 1).close).as("a refusal says Connection: close").isTrue();
    }
    return out;
  }
}
