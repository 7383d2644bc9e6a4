package io.github.tpns4j;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A MockWebServer per test, and a client builder pointed at it with fast retries. */
abstract class MockServerFixture {
  static final String ACCESS_ID = "1500001048";
  static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";

  MockWebServer server;

  /** The test's client, if it made one; closed after the test. */
  TpnsClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() throws IOException {
    if (client != null) {
      client.close();
    }
    server.shutdown();
  }

  /** An OkHttp client whose dispatcher runs one call at a time (all go to one host). */
  static OkHttpClient onePerHost() {
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(1);
    d.setMaxRequestsPerHost(1);
    return new OkHttpClient.Builder().dispatcher(d).build();
  }

  TpnsClient.Builder builder() {
    return TpnsClient.builder()
        .accessId(ACCESS_ID)
        .secretKey(SECRET)
        .baseUrl(server.url("/").toString())
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  /** Runs {@code body} on a new thread; what it throws is kept for {@link Background#thrown}. */
  static Background inBackground(ThrowingRunnable body) {
    Background b = new Background();
    b.thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                b.thrown = t;
              }
            });
    b.thread.start();
    return b;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static final class Background {
    Thread thread;
    volatile Throwable thrown;

    /** Waits up to {@code millis} for the thread to end; true when it did. */
    boolean join(long millis) throws InterruptedException {
      thread.join(millis);
      return !thread.isAlive();
    }
  }
}
