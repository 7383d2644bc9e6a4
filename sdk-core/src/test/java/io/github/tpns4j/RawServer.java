package io.github.tpns4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers every connection with the same raw bytes and closes it: for
 * answers no HTTP server library would send (two "100 Continue" lines, HTTP to a TLS hello).
 */
final class RawServer implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();

  RawServer(String answer) throws IOException {
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                  accepted.incrementAndGet();
                  InputStream in = s.getInputStream();
                  in.read(new byte[8192]); // whatever the client sent first
                  s.getOutputStream().write(bytes);
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  // closed, or the client went away
                }
              }
            },
            "raw-server");
    t.setDaemon(true);
    t.start();
  }

  String url(String scheme) {
    return scheme + "://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
