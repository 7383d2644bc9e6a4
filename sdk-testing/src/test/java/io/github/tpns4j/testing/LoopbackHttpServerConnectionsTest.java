package io.github.tpns4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.testing.LoopbackHttpServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What connections cost the fake: a bounded number of threads whatever the number of connections,
 * idle keep-alive connections closed after the idle timeout, and no request that takes longer than
 * that to arrive.
 */
class LoopbackHttpServerConnectionsTest {
  private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

  private final AtomicInteger served = new AtomicInteger();
  private final LoopbackHttpServer.Handler ok =
      request -> {
        served.incrementAndGet();
        return Reply.of(200, "text/plain", OK);
      };
  private LoopbackHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Live threads of every fake in this JVM. */
  private static int fakeThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("fake-tpns-")) {
        n++;
      }
    }
    return n;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(20_000); // a guard: the waits below end on the server's close, long before
    return s;
  }

  private static void send(Socket s, String raw) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one answer, exactly (head, then Content-Length bytes), and returns its status. */
  private static int answer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("an answer, got %s", head).isNotNegative();
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      assertThat(in.read()).isNotNegative();
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  @Test
  void fiveHundredIdleKeepAliveConnectionsUseBoundedThreadsAndAreClosedAfterTheIdleTimeout()
      throws Exception {
    int before = fakeThreads();
    Duration idle = Duration.ofSeconds(1);
    server = new LoopbackHttpServer(ok, 8, 1024, idle);
    List<Socket> sockets = new ArrayList<>();
    long[] lastSent = new long[500];
    int most = 0;
    try {
      // every other connection sends a request (all at once, then the answers are read), the
      // others send nothing
      for (int i = 0; i < 500; i++) {
        Socket s = connect();
        sockets.add(s);
        lastSent[i] = System.nanoTime();
        if (i % 2 == 0) {
          send(s, "GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
          lastSent[i] = System.nanoTime();
        }
        if (i % 50 == 0) {
          most = Math.max(most, fakeThreads() - before);
        }
      }
      for (int i = 0; i < 500; i += 2) {
        assertThat(answer(sockets.get(i))).isEqualTo(200);
        most = Math.max(most, fakeThreads() - before);
      }
      assertThat(served).hasValue(250);
      assertThat(most).as("threads for 500 connections").isLessThanOrEqualTo(8 + 1);

      // each is closed by the server once idle for the timeout: the read returns -1
      for (int i = 0; i < 500; i++) {
        int r = sockets.get(i).getInputStream().read();
        long at = System.nanoTime();
        assertThat(r).as("connection %d", i).isEqualTo(-1);
        assertThat(Duration.ofNanos(at - lastSent[i])).as("connection %d", i).isGreaterThan(idle);
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void aRequestTricklingInIsCutOffAfterTheIdleTimeout() throws Exception {
    Duration idle = Duration.ofMillis(500);
    server = new LoopbackHttpServer(ok, 2, 16, idle);
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket s = connect()) {
      send(s, "POST / HTTP/1.1\r\nHost: a\r\nX-Slow: ");
      long start = System.nanoTime();
      // one byte every 100 ms: every read of the server gets something, the request never ends
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              send(s, "y");
            } catch (IOException e) {
              throw new UncheckedIOException(e); // closed: ends the trickle
            }
          },
          100,
          100,
          TimeUnit.MILLISECONDS);
      int r;
      try {
        r = s.getInputStream().read();
      } catch (SocketException reset) {
        r = -1; // a byte that reached the server after it closed is answered with a reset
      }
      assertThat(r).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(idle);
    } finally {
      trickle.shutdownNow();
    }
    assertThat(served).hasValue(0);
  }

  @Test
  void aConnectionBeyondTheMostOpenIsClosedAtOnceAndTheOthersStillServed() throws Exception {
    server = new LoopbackHttpServer(ok, 2, 4, Duration.ofSeconds(30));
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        open.add(connect());
      }
      try (Socket fifth = connect()) {
        assertThat(fifth.getInputStream().read()).isEqualTo(-1);
      }
      for (Socket s : open) {
        send(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(answer(s)).isEqualTo(200);
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void whenEveryWorkerIsBusyARequestWaitsItsTurnAndIsServed() throws Exception {
    int before = fakeThreads();
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    server =
        new LoopbackHttpServer(
            request -> {
              if (request.path.equals("/block")) {
                entered.countDown();
                release.await();
              }
              served.incrementAndGet();
              return Reply.of(200, "text/plain", OK);
            },
            2,
            16,
            Duration.ofSeconds(30));
    try (Socket a = connect();
        Socket b = connect();
        Socket c = connect()) {
      send(a, "GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
      send(b, "GET /block HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue(); // both workers are taken
      send(c, "GET /other HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(fakeThreads() - before).isLessThanOrEqualTo(2 + 1);
      release.countDown();
      assertThat(answer(a)).isEqualTo(200);
      assertThat(answer(b)).isEqualTo(200);
      assertThat(answer(c)).isEqualTo(200);
    }
    assertThat(served).hasValue(3);
  }

  @Test
  void closeEndsEveryThreadOfTheServer() throws Exception {
    server = new LoopbackHttpServer(ok, 4, 16, Duration.ofSeconds(30));
    String prefix = "fake-tpns-" + server.port() + "-";
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(answer(s)).isEqualTo(200);
      server.close();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
  }
}
