package io.github.tpns4j.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on loopback for the fake: keep-alive, {@code Content-Length} and chunked
 * request bodies, {@code Expect: 100-continue}, one thread per connection (daemon). It sets
 * TCP_NODELAY on every connection (a sequential call takes about a millisecond, not the 40 ms of
 * Nagle and delayed ACK), writes each answer in one piece, closes a connection that starts a TLS
 * handshake at once, bounds what it reads, keeps nothing per request and prints or logs nothing.
 */
final class LoopbackHttpServer implements AutoCloseable {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 100;
  static final int MAX_BODY = 16 * 1024 * 1024;

  /** A request as read. Header names are lower case. */
  static final class HttpRequest {
    final String method;
    final String path;
    final Map<String, String> headers;
    final byte[] body;

    HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer, or a dropped connection. */
  static final class Reply {
    final int status;
    final List<String[]> headers = new ArrayList<>();
    final byte[] body;
    final boolean disconnect;

    private Reply(int status, byte[] body, boolean disconnect) {
      this.status = status;
      this.body = body;
      this.disconnect = disconnect;
    }

    static Reply of(int status, String contentType, byte[] body) {
      Reply r = new Reply(status, body == null ? new byte[0] : body, false);
      if (contentType != null) {
        r.header("Content-Type", contentType);
      }
      return r;
    }

    static Reply disconnect() {
      return new Reply(0, new byte[0], true);
    }

    Reply header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }
  }

  interface Handler {
    Reply handle(HttpRequest request) throws InterruptedException;
  }

  private final Handler handler;
  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  LoopbackHttpServer(Handler handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    this.connections =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "fake-tpns-connection");
              t.setDaemon(true);
              return t;
            });
    Thread acceptor = new Thread(this::acceptLoop, "fake-tpns-accept-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(s);
      try {
        connections.execute(() -> serve(s));
      } catch (RuntimeException rejected) {
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    try {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      in.mark(1);
      int first = in.read();
      if (first == 0x16) {
        return; // a TLS handshake on this plain-HTTP port: close now, the client fails at once
      }
      in.reset();
      while (!closed) {
        HttpRequest request;
        try {
          request = read(in, out);
        } catch (BadRequest e) {
          write(
              out,
              Reply.of(e.status, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8)),
              true);
          return;
        }
        if (request == null) {
          return;
        }
        Reply reply;
        try {
          reply = handler.handle(request);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          reply =
              Reply.of(
                  500,
                  "application/json",
                  "{\"ret_code\":1008004,\"err_msg\":\"internal error in the fake\"}"
                      .getBytes(StandardCharsets.UTF_8));
        }
        if (reply.disconnect) {
          return;
        }
        boolean close = "close".equalsIgnoreCase(request.header("Connection"));
        write(out, reply, close);
        if (close) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or sent something this server cannot read: drop the connection
    } finally {
      open.remove(s);
      closeQuietly(s);
    }
  }

  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The next request, or null at the end of the connection. */
  private static HttpRequest read(InputStream in, OutputStream out) throws IOException, BadRequest {
    String line = line(in);
    while (line != null && line.isEmpty()) {
      line = line(in); // tolerate blank lines between requests
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest(400, "malformed request line");
    }
    Map<String, String> headers = new HashMap<>();
    String h;
    while ((h = line(in)) != null && !h.isEmpty()) {
      int colon = h.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw new BadRequest(400, "malformed or too many headers");
      }
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    if (h == null) {
      return null;
    }
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else {
      long length;
      try {
        String cl = headers.get("content-length");
        length = cl == null ? 0 : Long.parseLong(cl);
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "malformed Content-Length");
      }
      if (length < 0 || length > MAX_BODY) {
        throw new BadRequest(413, "request body over " + MAX_BODY + " bytes");
      }
      body = exactly(in, (int) length);
    }
    return new HttpRequest(parts[0], parts[1], headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException, BadRequest {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new IOException("end of stream in a chunked body");
      }
      int semicolon = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "malformed chunk size");
      }
      if (n < 0 || body.size() + (long) n > MAX_BODY) {
        throw new BadRequest(413, "request body over " + MAX_BODY + " bytes");
      }
      if (n == 0) {
        String trailer;
        while ((trailer = line(in)) != null && !trailer.isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      body.write(exactly(in, n));
      line(in); // the CRLF after the chunk
    }
  }

  private static byte[] exactly(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new IOException("end of stream in the body");
      }
      off += r;
    }
    return b;
  }

  /** A line without its CRLF (or LF), or null at the end of the stream. */
  private static String line(InputStream in) throws IOException, BadRequest {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
      }
      if (b.length() >= MAX_LINE) {
        throw new BadRequest(431, "line over " + MAX_LINE + " bytes");
      }
      b.append((char) c); // ISO-8859-1, as HTTP/1.1 header bytes are read
    }
    return b.length() == 0 ? null : b.toString();
  }

  private static void write(OutputStream out, Reply r, boolean close) throws IOException {
    StringBuilder head = new StringBuilder(128);
    head.append("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
    for (String[] h : r.headers) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    head.append("Content-Length: ").append(r.body.length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(r.body);
    out.flush(); // one write: headers and body leave together
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 413:
        return "Payload Too Large";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** Stops accepting, drops every open connection, ends the threads. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
  }
}
