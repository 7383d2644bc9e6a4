package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsTransportException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inputs a real server must survive, said the way a test suite leaning on the fake would. */
class FakeRobustnessTest {
  private FakeTpnsServer tpns;
  private final OkHttpClient http = new OkHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
  }

  @AfterEach
  void stop() {
    tpns.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Posts raw body bytes, signed correctly, and returns (HTTP status, the answer). */
  private JsonNode post(String path, byte[] body) throws Exception {
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    Request r =
        new Request.Builder()
            .url(tpns.baseUrl() + path)
            .post(RequestBody.create(body, MediaType.get("application/json")))
            .header("AccessId", tpns.accessId())
            .header("TimeStamp", ts)
            .header("Sign", FakeTpnsServer.sign(tpns.secretKey(), ts, tpns.accessId(), body))
            .build();
    try (Response response = http.newCall(r).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return json.readTree(response.body().bytes());
    }
  }

  private static int code(JsonNode answer) {
    return answer.has("ret_code") ? answer.get("ret_code").asInt() : answer.get("retCode").asInt();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '^',
      value = {
        "em space account| {'operator_type':2,'token_accounts':[{'token':'t','account_list':[{'account':'\\u2003'}]}]} |1008007",
        "no-break space token| {'operator_type':4,'token_list':['\\u00a0']} |1008007",
        "lone surrogate| {'operator_type':2,'token_accounts':[{'token':'t','account_list':[{'account':'\\ud800'}]}]} |1008007",
        "lone low surrogate token| {'operator_type':4,'token_list':['a\\udc00']} |1008007",
        "NUL| {'operator_type':4,'token_list':['a\\u0000b']} |1008007",
        "blank token| {'operator_type':4,'token_list':['  ']} |1008007",
        "negative type| {'operator_type':5,'account_list':[{'account':'a','account_type':-1}]} |1008007",
        "fractional type| {'operator_type':5,'account_list':[{'account':'a','account_type':1.5}]} |1008007",
        "string type| {'operator_type':5,'account_list':[{'account':'a','account_type':'3'}]} |1008007",
        "type beyond int| {'operator_type':5,'account_list':[{'account':'a','account_type':2147483648}]} |1008007",
        "empty account list| {'operator_type':2,'token_accounts':[{'token':'t','account_list':[]}]} |1008007",
        "account list not an array| {'operator_type':2,'token_accounts':[{'token':'t','account_list':{}}]} |1008007",
        "token a number| {'operator_type':4,'token_list':[42]} |1008007",
        "token an object| {'operator_type':2,'token_accounts':[{'token':{},'account_list':[{'account':'a'}]}]} |1008007",
        "entry not an object| {'operator_type':2,'token_accounts':['t']} |1008007",
        "operator type a string| {'operator_type':'2','token_list':['t']} |1008007",
        "operator type unknown| {'operator_type':9,'token_list':['t']} |1008007",
        "missing list| {'operator_type':4} |1008002",
        "missing operator type| {'token_list':['t']} |1008002",
        "array root| ['t'] |1008001",
        "not JSON| {operator_type: |1008001",
        "empty body| ^^ |1008001",
      })
  void answersEveryOddInputWithATpnsCode(String what, String body, int expected) throws Exception {
    byte[] bytes = body.trim().replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    assertThat(code(post("v3/device/account/batchoperate", bytes))).as(what).isEqualTo(expected);
    // and the fake is still fine afterwards
    assertThat(
            code(
                post(
                    "v3/device/account/query",
                    "{\"operator_type\":2,\"token_list\":[\"t\"]}"
                        .getBytes(StandardCharsets.UTF_8))))
        .isZero();
  }

  @Test
  void answersInvalidUtf8AndTooManyItemsWithTpnsCodes() throws Exception {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThat(code(post("v3/device/account/batchoperate", bad))).isEqualTo(1008001);
    StringBuilder many = new StringBuilder("{\"operator_type\":4,\"token_list\":[");
    for (int i = 0; i < 21; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    assertThat(
            code(
                post(
                    "v3/device/account/batchoperate",
                    many.append("]}").toString().getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(1008007);
  }

  @Test
  void staysSilentOnEveryInputAndFault() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<LogRecord> logged = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    Level level = root.getLevel();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TpnsClient client = client(tpns.baseUrl())) {
      tpns.enqueueFailure(FakeFailure.disconnect());
      tpns.enqueueFailure(FakeFailure.httpStatus(503, "busy"));
      try {
        client.batchOperate(BatchOperateRequest.deleteAllForTokens("t"));
      } catch (RuntimeException expected) {
        // the disconnect, then 503, then success: any outcome will do, silence is the point
      }
      tlsAgainstThePlainPort();
      rawRequest("GARBAGE\r\n\r\n");
      rawRequest("POST /v3/device/account/batchoperate HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
      rawRequest("POST / HTTP/1.1\r\nX: " + "y".repeat(20_000) + "\r\n\r\n");
      rawRequest("POST /v3/device/account/batchoperate HTTP/1.1\r\nContent-Length: 10\r\n\r\nab");
      post("v3/device/account/batchoperate", "{{{".getBytes(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.removeHandler(handler);
      root.setLevel(level);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    // The JDK's own TLS and socket code logs at FINE and below when the root logger asks for
    // everything; what matters is that nothing comes from the fake, and nothing at INFO or above.
    assertThat(logged)
        .allSatisfy(
            r -> {
              assertThat(r.getLevel().intValue())
                  .as(r.getMessage())
                  .isLessThan(Level.INFO.intValue());
              assertThat(String.valueOf(r.getLoggerName()) + r.getSourceClassName())
                  .doesNotContain("tpns4j")
                  .doesNotContain("mockwebserver");
            });
  }

  private void rawRequest(String raw) throws Exception {
    int port = okhttp3.HttpUrl.get(tpns.baseUrl()).port();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      OutputStream o = s.getOutputStream();
      o.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      in.readAllBytes(); // the answer, or nothing: the server closes either way
    }
  }

  private TpnsTransportException tlsAgainstThePlainPort() {
    String https = tpns.baseUrl().replace("http://", "https://");
    try (TpnsClient client = client(https)) {
      return catchThrowableOfType(
          TpnsTransportException.class,
          () -> client.batchOperate(BatchOperateRequest.deleteAllForTokens("t")));
    }
  }

  @Test
  void aTlsHandshakeOnThePlainPortFailsTheClientAtOnce() {
    long start = System.nanoTime();
    TpnsTransportException e = tlsAgainstThePlainPort();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("TLS");
  }

  private TpnsClient client(String baseUrl) {
    return client(baseUrl, new AttemptCounter());
  }

  private TpnsClient client(String baseUrl, AttemptCounter attempts) {
    return tpns.clientBuilder()
        .baseUrl(baseUrl)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .eventListener(attempts)
        .build();
  }

  @Test
  void retainsNoMemoryPerRequest() throws Exception {
    AttemptCounter attempts = new AttemptCounter();
    try (TpnsClient client = client(tpns.baseUrl(), attempts)) {
      BatchOperateRequest unbind = BatchOperateRequest.deleteAllForTokens("t1", "t2");
      BatchOperateRequest bind =
          BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("alice")));
      for (int i = 0; i < 2_000; i++) {
        client.batchOperate(i % 2 == 0 ? bind : unbind);
      }
      long before = usedHeapAfterGc();
      for (int i = 0; i < 20_000; i++) {
        client.batchOperate(i % 2 == 0 ? bind : unbind);
      }
      long after = usedHeapAfterGc();
      // a timeout under load is retried: the fake then counts one request more
      attempts.assertSeen(tpns.requestCount(), 22_000, 0);
      // MockWebServer kept ~37 MiB per 20 000 requests; counters keep nothing
      assertThat(after - before).as("heap growth over 20 000 requests").isLessThan(2L << 20);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50); // let the collector finish; the minimum of several readings is used
      min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return min;
  }
}
