package io.github.tpns4j.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that answers every POST with the documented success JSON (for {@code
 * /query}, {@link #QUERY_ANSWER}), after an optional delay.
 */
final class LoopbackServer implements AutoCloseable {
  static final byte[] ANSWER =
      "{\"ret_code\": 0,\"err_msg\": \"NO_ERROR\",\"result\": [\"0\"]}"
          .getBytes(StandardCharsets.UTF_8);

  /**
   * The answer to any query: the tokens of {@code user-0@example.com} .. {@code
   * user-19@example.com}, one each, as TPNS answers (the bulk query benchmark asks for those 20,
   * over and over).
   */
  static final byte[] QUERY_ANSWER = queryAnswer();

  private static byte[] queryAnswer() {
    StringBuilder result = new StringBuilder();
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      result.append(i == 0 ? "" : ",").append("\"0\"");
      entries
          .append(i == 0 ? "" : ",")
          .append("{\"account\":\"user-")
          .append(i)
          .append("@example.com\",\"account_type\":1005,\"token_list\":[\"token-")
          .append(i)
          .append("-0123456789abcdef0123456789abcdef\"]}");
    }
    return ("{\"retCode\":0,\"errMsg\":\"ok\",\"result\":["
            + result
            + "],\"account_tokens\":["
            + entries
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY every answer waits
    // ~40 ms for the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool;

  LoopbackServer(int threads, long delayMillis) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "loopback-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          if (delayMillis > 0) {
            try {
              Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] answer =
              exchange.getRequestURI().getPath().endsWith("/query") ? QUERY_ANSWER : ANSWER;
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
