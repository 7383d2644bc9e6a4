package io.github.tpns4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on loopback for the fake: keep-alive, {@code Content-Length} and chunked
 * request bodies, {@code Expect: 100-continue}. It sets TCP_NODELAY on every connection (a
 * sequential call takes about a millisecond, not the 40 ms of Nagle and delayed ACK), writes each
 * answer in one piece, closes a connection that starts a TLS handshake at once, bounds what it
 * reads, keeps nothing per request and prints or logs nothing.
 *
 * <p>Threads and connections: one selector thread watches the connections between requests, at no
 * thread each; a connection with bytes to read goes to a pool of at most {@code maxWorkers} daemon
 * threads (64 by default), started as needed and ended after 30 s with nothing to do. A worker that
 * has answered waits up to 50 ms for the connection's next request (a client in a loop sends it at
 * once) unless another connection waits for a worker. When all workers are busy, connections with a
 * request wait their turn in a queue (they are not refused); the queue holds at most one entry per
 * open connection. At most {@code maxConnections} connections (1024 by default) are open: one
 * beyond that is closed as soon as it is accepted. A connection that sends nothing for the idle
 * timeout (30 s by default), between requests or before its first one, is closed; so is one that
 * takes longer than that to send a whole request, or to take an answer. An idle connection is
 * closed only between requests: a request sent just as that happens is not read at all, never
 * served in part; the client sees the connection closed, as with any server's idle timeout.
 *
 * <p>Framing is strict, as RFC 9112 asks, since a request whose length two readers could see
 * differently would let bytes after it pass for a request of their own. Refused with 400, then the
 * connection closed: {@code Transfer-Encoding} with {@code Content-Length}, more than one {@code
 * Content-Length} (equal or not) or one that is not digits, white space between a field name and
 * its colon, a line folded onto the one before (obs-fold), a control character in a field, a chunk
 * size that is not hex digits (a sign, {@code 0x}, white space before it), chunk data longer than
 * its size, {@code chunked} missing from the end of {@code Transfer-Encoding} or applied twice,
 * {@code Transfer-Encoding} in an HTTP/1.0 request. Another transfer coding before {@code chunked}
 * ({@code gzip, chunked}): 501. A body over 16 MiB: 413; a line over 8 KiB or more than 100 fields:
 * 431. Each of these answers counts as a request in {@link #refusedCount()}. The connection is
 * closed after answering an HTTP/1.0 request (keep-alive or not) or one that asks {@code
 * Connection: close}.
 */
final class LoopbackHttpServer implements AutoCloseable {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 100;
  static final int MAX_BODY = 16 * 1024 * 1024;
  static final int DEFAULT_MAX_WORKERS = 64;
  static final int DEFAULT_MAX_CONNECTIONS = 1024;
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** How long a worker thread waits for work before it ends. */
  private static final long WORKER_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /**
   * After a last answer the server stops writing, then reads and drops what the client still sends
   * (at most this much, for at most a second) before it closes: closing with unread bytes would
   * reset the connection, and the client could lose the answer.
   */
  private static final int LINGER_BYTES = 64 * 1024;

  private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long a worker waits for the next request on a connection before it hands it back. */
  private static final long STAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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
  private final int maxWorkers;
  private final int maxConnections;
  private final long idleTimeoutNanos;
  private final long sweepNanos;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final String threadPrefix;
  private final Thread selectorThread;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  // Connections a worker is done with for now, for the selector thread to watch again.
  private final ConcurrentLinkedQueue<Connection> returned = new ConcurrentLinkedQueue<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean closed;

  // The worker pool, guarded by `ready`.
  private final ArrayDeque<Connection> ready = new ArrayDeque<>();
  private final Set<Thread> workerThreads = new HashSet<>();
  private int idleWorkers;
  private int workerNumber;

  LoopbackHttpServer(Handler handler) throws IOException {
    this(handler, DEFAULT_MAX_WORKERS, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
  }

  /**
   * A server with these limits: at most {@code maxWorkers} threads serving requests, at most {@code
   * maxConnections} open connections, and connections closed after {@code idleTimeout} without a
   * byte between requests (and requests that take longer than that to arrive).
   */
  LoopbackHttpServer(Handler handler, int maxWorkers, int maxConnections, Duration idleTimeout)
      throws IOException {
    this(
        handler,
        maxWorkers,
        maxConnections,
        idleTimeout,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** A server with the default limits on this address (port 0: any free port). */
  LoopbackHttpServer(Handler handler, InetSocketAddress address) throws IOException {
    this(handler, DEFAULT_MAX_WORKERS, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, address);
  }

  private LoopbackHttpServer(
      Handler handler,
      int maxWorkers,
      int maxConnections,
      Duration idleTimeout,
      InetSocketAddress address)
      throws IOException {
    if (maxWorkers < 1 || maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxWorkers and maxConnections must be >= 1, were " + maxWorkers + ", " + maxConnections);
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be > 0, was " + idleTimeout);
    }
    this.handler = handler;
    this.maxWorkers = maxWorkers;
    this.maxConnections = maxConnections;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    // Idle connections are closed within an eighth of the timeout after it (at most 1 s after).
    this.sweepNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(10),
            Math.min(TimeUnit.SECONDS.toNanos(1), idleTimeoutNanos / 8));
    this.selector = Selector.open();
    ServerSocketChannel s = null;
    try {
      s = ServerSocketChannel.open();
      s.bind(address, 256);
      s.configureBlocking(false);
      s.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close();
      }
      selector.close();
      throw e;
    }
    this.server = s;
    this.threadPrefix = "fake-tpns-" + port() + "-";
    this.selectorThread = new Thread(this::select, threadPrefix + "accept");
    selectorThread.setDaemon(true);
    selectorThread.start();
  }

  int port() {
    return server.socket().getLocalPort();
  }

  /** The address listened on. */
  InetAddress address() {
    return server.socket().getInetAddress();
  }

  /**
   * How many requests this server refused itself, as malformed (400), not implemented (501) or too
   * large (413, 431): requests the handler never saw.
   */
  int refusedCount() {
    return refused.get();
  }

  /** One connection; while a worker serves it, only that worker touches it. */
  private final class Connection {
    final SocketChannel channel;
    final Input in;
    boolean first = true; // nothing read yet
    boolean idle; // watched by the selector thread (only it reads and writes this)
    long idleSince; // selector thread only
    volatile long writeDeadline; // 0: not writing

    Connection(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.in = new Input(channel);
    }
  }

  // ---- the selector thread: accepts, watches idle connections, closes the ones timed out

  private void select() {
    List<Connection> toServe = new ArrayList<>();
    long nextSweep = System.nanoTime() + sweepNanos;
    try {
      while (!closed) {
        Connection back;
        while ((back = returned.poll()) != null) {
          watch(back);
        }
        if (toServe.isEmpty()) {
          long wait = nextSweep - System.nanoTime();
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        } else {
          // Deregisters the keys cancelled below: a channel must not be registered to be
          // switched to blocking mode for its worker.
          selector.selectNow();
          for (Connection c : toServe) {
            dispatch(c);
          }
          toServe.clear();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else if (key.isReadable()) {
            Connection c = (Connection) key.attachment();
            key.cancel();
            c.idle = false;
            toServe.add(c);
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          sweep(now);
          nextSweep = now + sweepNanos;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the selector failed: the server stops, as close() would stop it
    } finally {
      for (Connection c : toServe) {
        drop(c);
      }
      close();
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private void acceptAll() {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        return; // out of file descriptors, say: the connection waits in the backlog
      }
      if (channel == null) {
        return;
      }
      if (open.size() >= maxConnections) {
        closeQuietly(channel); // beyond the most open connections: closed at once
        continue;
      }
      try {
        channel.socket().setTcpNoDelay(true);
        Connection c = new Connection(channel);
        open.add(c);
        watch(c);
      } catch (IOException e) {
        closeQuietly(channel);
      }
    }
  }

  /** Watches a connection between requests (selector thread). */
  private void watch(Connection c) {
    try {
      c.channel.configureBlocking(false);
      c.channel.register(selector, SelectionKey.OP_READ, c);
      c.idle = true;
      c.idleSince = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      drop(c); // closed meanwhile
    }
  }

  /** Closes connections idle for the timeout, and those a client has not read an answer from. */
  private void sweep(long now) {
    for (Connection c : open) {
      if (c.idle) {
        if (now - c.idleSince >= idleTimeoutNanos) {
          drop(c);
        }
      } else {
        long deadline = c.writeDeadline;
        if (deadline != 0 && now - deadline >= 0) {
          drop(c); // the blocked write fails, and its worker is free again
        }
      }
    }
  }

  // ---- the worker pool

  private void dispatch(Connection c) {
    synchronized (ready) {
      if (closed) {
        drop(c);
        return;
      }
      ready.add(c);
      if (ready.size() > idleWorkers && workerThreads.size() < maxWorkers) {
        Thread t = new Thread(this::work, threadPrefix + "worker-" + ++workerNumber);
        t.setDaemon(true);
        workerThreads.add(t);
        t.start();
      } else {
        ready.notify();
      }
    }
  }

  private void work() {
    Thread me = Thread.currentThread();
    try {
      while (true) {
        Connection c;
        synchronized (ready) {
          long deadline = System.nanoTime() + WORKER_KEEP_ALIVE_NANOS;
          while ((c = ready.poll()) == null) {
            long left = deadline - System.nanoTime();
            if (closed || left <= 0) {
              workerThreads.remove(me); // under the lock that dispatch() counts workers with
              return;
            }
            idleWorkers++;
            try {
              TimeUnit.NANOSECONDS.timedWait(ready, left);
            } catch (InterruptedException e) {
              workerThreads.remove(me); // closing
              return;
            } finally {
              idleWorkers--;
            }
          }
        }
        serve(c);
      }
    } finally {
      synchronized (ready) {
        workerThreads.remove(me); // again, harmlessly, or after an Error
      }
    }
  }

  private void serve(Connection c) {
    boolean keep = false;
    try {
      c.channel.configureBlocking(true);
      keep = exchange(c);
    } catch (IOException | RuntimeException e) {
      // the client went away or was too slow, or the server is closing: drop the connection
    }
    if (keep && !closed) {
      c.in.release();
      returned.add(c);
      selector.wakeup();
    } else {
      drop(c);
    }
  }

  /**
   * Serves the requests that arrive on a connection until it is to be closed (false) or has nothing
   * more to read for now (true: the selector watches it again).
   */
  private boolean exchange(Connection c) throws IOException {
    while (!closed) {
      c.in.deadline = System.nanoTime() + idleTimeoutNanos; // for the whole request
      if (c.first) {
        c.first = false;
        int b = c.in.peek();
        if (b < 0 || b == 0x16) {
          // the end of the stream, or a TLS handshake on this plain-HTTP port: close now, and the
          // client fails at once
          return false;
        }
      }
      HttpRequest request;
      boolean close;
      try {
        Head head = readHead(c.in);
        if (head == null) {
          return false;
        }
        close = head.close;
        request = new HttpRequest(head.method, head.target, head.headers, readBody(c, head));
      } catch (BadRequest e) {
        refused.incrementAndGet();
        byte[] message = e.getMessage().getBytes(StandardCharsets.UTF_8);
        write(c, Reply.of(e.status, "text/plain", message), true);
        linger(c);
        return false;
      }
      Reply reply;
      try {
        reply = handler.handle(request);
      } catch (InterruptedException e) {
        return false;
      } catch (RuntimeException e) {
        reply =
            Reply.of(
                500,
                "application/json",
                "{\"ret_code\":1008004,\"err_msg\":\"internal error in the fake\"}"
                    .getBytes(StandardCharsets.UTF_8));
      }
      if (reply.disconnect) {
        return false;
      }
      write(c, reply, close);
      if (close) {
        linger(c);
        return false;
      }
      if (c.in.buffered() == 0) {
        // Nothing more has arrived. A client in a loop sends its next request at once: wait for
        // it a little, unless another connection waits for a worker; then back to the selector.
        if (othersWaiting()) {
          return true;
        }
        c.in.deadline = System.nanoTime() + STAY_NANOS;
        try {
          if (c.in.peek() < 0) {
            return false; // the client closed the connection
          }
        } catch (SocketTimeoutException e) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean othersWaiting() {
    synchronized (ready) {
      return !ready.isEmpty();
    }
  }

  /** Ends a last answer and waits, briefly, for the client to close (see LINGER_BYTES). */
  private void linger(Connection c) {
    try {
      c.channel.shutdownOutput();
      c.in.deadline = System.nanoTime() + Math.min(idleTimeoutNanos, LINGER_NANOS);
      byte[] skip = new byte[4096];
      int total = 0;
      int n;
      while (total < LINGER_BYTES && (n = c.in.read(skip, 0, skip.length)) >= 0) {
        total += n;
      }
    } catch (IOException | RuntimeException e) {
      // timed out or reset: close anyway
    }
  }

  private void write(Connection c, Reply r, boolean close) throws IOException {
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
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer answer = ByteBuffer.allocate(h.length + r.body.length);
    answer.put(h).put(r.body).flip();
    writeFully(c, answer); // one write: headers and body leave together
  }

  private void writeFully(Connection c, ByteBuffer bytes) throws IOException {
    c.writeDeadline = System.nanoTime() + idleTimeoutNanos;
    try {
      while (bytes.hasRemaining()) {
        c.channel.write(bytes);
      }
    } finally {
      c.writeDeadline = 0;
    }
  }

  private void drop(Connection c) {
    open.remove(c);
    closeQuietly(c.channel);
  }

  // ---- reading a request

  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private static BadRequest bad(String message) {
    return new BadRequest(400, message);
  }

  private static BadRequest tooLarge() {
    return new BadRequest(413, "request body over " + MAX_BODY + " bytes");
  }

  /** A request line and its fields, read and checked. */
  private static final class Head {
    final String method;
    final String target;
    final boolean http10;
    final Map<String, String> headers;
    final boolean close;

    Head(String method, String target, boolean http10, Map<String, String> headers) {
      this.method = method;
      this.target = target;
      this.http10 = http10;
      this.headers = headers;
      this.close = http10 || hasToken(headers.get("connection"), "close");
    }
  }

  /** The next request's head, or null at the end of the connection. */
  private static Head readHead(Input in) throws IOException, BadRequest {
    String line = line(in);
    while (line != null && line.isEmpty()) {
      line = line(in); // blank lines before a request line are ignored (RFC 9112, 2.2)
    }
    if (line == null) {
      return null;
    }
    // request-line = method SP request-target SP HTTP-version
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
      throw bad("malformed request line");
    }
    String method = line.substring(0, sp1);
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!isToken(method) || target.isEmpty() || !isVisibleAscii(target)) {
      throw bad("malformed request line");
    }
    boolean http10;
    if (version.equals("HTTP/1.0")) {
      http10 = true;
    } else if (version.length() == 8
        && version.startsWith("HTTP/1.")
        && isDigit(version.charAt(7))) {
      http10 = false;
    } else {
      throw bad("malformed request line: HTTP/1.0 or HTTP/1.1 expected");
    }
    Map<String, String> headers = new HashMap<>();
    int count = 0;
    String h;
    while ((h = line(in)) != null && !h.isEmpty()) {
      if (++count > MAX_HEADERS) {
        throw new BadRequest(431, "more than " + MAX_HEADERS + " header fields");
      }
      String[] field = field(h);
      String name = field[0];
      String value = field[1];
      String before = headers.get(name);
      if (before == null) {
        headers.put(name, value);
      } else if (name.equals("content-length")) {
        throw bad("more than one Content-Length");
      } else if (name.equals("transfer-encoding") || name.equals("connection")) {
        headers.put(name, before + ", " + value); // list fields: the lines are one list
      } else {
        headers.put(name, value);
      }
    }
    if (h == null) {
      return null; // the client left in the middle of the head
    }
    return new Head(method, target, http10, headers);
  }

  /** A field line as {name in lower case, value}. */
  private static String[] field(String line) throws BadRequest {
    if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
      throw bad("a header line folded onto the one before (obs-fold)");
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw bad("malformed header field");
    }
    String name = line.substring(0, colon);
    if (!isToken(name)) {
      throw bad("malformed header field name (no white space before the colon)");
    }
    String value = trimOws(line.substring(colon + 1));
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw bad("a control character in a header field");
      }
    }
    return new String[] {name.toLowerCase(Locale.ROOT), value};
  }

  private byte[] readBody(Connection c, Head head) throws IOException, BadRequest {
    String te = head.headers.get("transfer-encoding");
    String cl = head.headers.get("content-length");
    if (te != null) {
      if (cl != null) {
        throw bad("Transfer-Encoding and Content-Length together");
      }
      if (head.http10) {
        throw bad("Transfer-Encoding in an HTTP/1.0 request");
      }
      checkChunkedLast(te);
      continue100(c, head);
      return chunked(c.in);
    }
    if (cl == null) {
      return new byte[0];
    }
    int length = contentLength(cl);
    if (length > 0) {
      continue100(c, head);
    }
    return exactly(c.in, length);
  }

  /** {@code chunked}, once and last (RFC 9112, 6.1 and 6.3); no other coding is implemented. */
  private static void checkChunkedLast(String te) throws BadRequest {
    List<String> codings = new ArrayList<>();
    for (String part : te.split(",", -1)) {
      String coding = trimOws(part);
      if (!coding.isEmpty()) {
        codings.add(coding);
      }
    }
    if (codings.isEmpty() || !codings.get(codings.size() - 1).equalsIgnoreCase("chunked")) {
      throw bad("Transfer-Encoding must end with chunked");
    }
    for (int i = 0; i < codings.size() - 1; i++) {
      if (codings.get(i).equalsIgnoreCase("chunked")) {
        throw bad("chunked applied more than once");
      }
    }
    if (codings.size() > 1) {
      throw new BadRequest(501, "no transfer coding but chunked is implemented");
    }
  }

  /** A Content-Length: digits only (no sign, no list). */
  private static int contentLength(String value) throws BadRequest {
    if (value.isEmpty()) {
      throw bad("malformed Content-Length");
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isDigit(c)) {
        throw bad("malformed Content-Length");
      }
      length = length * 10 + (c - '0');
      if (length > MAX_BODY) {
        throw tooLarge();
      }
    }
    return (int) length;
  }

  private void continue100(Connection c, Head head) throws IOException {
    // An HTTP/1.0 client's expectation is ignored (RFC 9110, 10.1.1).
    if (!head.http10 && "100-continue".equalsIgnoreCase(head.headers.get("expect"))) {
      writeFully(
          c, ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
  }

  private static byte[] chunked(Input in) throws IOException, BadRequest {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = line(in);
      if (line == null) {
        throw new IOException("end of stream in a chunked body");
      }
      // chunk-size = 1*HEXDIG, then BWS ";" chunk-ext, or nothing
      long size = 0;
      int i = 0;
      for (; i < line.length() && hex(line.charAt(i)) >= 0; i++) {
        size = size * 16 + hex(line.charAt(i));
        if (body.size() + size > MAX_BODY) {
          throw tooLarge();
        }
      }
      if (i == 0 || !(i == line.length() || trimOws(line.substring(i)).startsWith(";"))) {
        throw bad("malformed chunk size");
      }
      if (size == 0) {
        int trailers = 0;
        String trailer;
        while ((trailer = line(in)) != null && !trailer.isEmpty()) {
          if (++trailers > MAX_HEADERS) {
            throw new BadRequest(431, "more than " + MAX_HEADERS + " trailer fields");
          }
          field(trailer); // checked, then ignored
        }
        if (trailer == null) {
          throw new IOException("end of stream in the trailer section");
        }
        return body.toByteArray();
      }
      body.write(exactly(in, (int) size));
      String end = line(in);
      if (end == null) {
        throw new IOException("end of stream after a chunk");
      }
      if (!end.isEmpty()) {
        throw bad("chunk data longer than its chunk size");
      }
    }
  }

  private static byte[] exactly(Input in, int n) throws IOException {
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

  /**
   * A line without its CRLF (or a bare LF, RFC 9112 2.2), or null at the end of the stream (an
   * unended line included).
   */
  private static String line(Input in) throws IOException, BadRequest {
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
    return null;
  }

  /** The value of an ASCII hex digit, or -1 (Character.digit takes other scripts' digits too). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** token = 1*tchar (RFC 9110, 5.6.2). */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || isDigit(c)
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Without the spaces and tabs around it (OWS), and nothing else: not String.trim(). */
  private static String trimOws(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean hasToken(String list, String token) {
    if (list != null) {
      for (String t : list.split(",")) {
        if (trimOws(t).equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A connection's bytes, buffered, read in blocking mode; each read fails once the deadline for
   * the request has passed, however the bytes trickle in.
   */
  private static final class Input {
    private final Socket socket;
    private final InputStream raw;
    private byte[] buf;
    private int pos;
    private int limit;
    long deadline; // System.nanoTime()

    Input(SocketChannel channel) throws IOException {
      this.socket = channel.socket();
      this.raw = socket.getInputStream();
    }

    int read() throws IOException {
      if (pos == limit && !fill()) {
        return -1;
      }
      return buf[pos++] & 0xff;
    }

    int peek() throws IOException {
      if (pos == limit && !fill()) {
        return -1;
      }
      return buf[pos] & 0xff;
    }

    int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == limit && !fill()) {
        return -1;
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    /** Bytes read from the connection and not consumed yet. */
    int buffered() {
      return limit - pos;
    }

    /** Frees the buffer of a connection going idle (nothing is buffered then). */
    void release() {
      if (pos == limit) {
        buf = null;
        pos = 0;
        limit = 0;
      }
    }

    private boolean fill() throws IOException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("the request did not arrive in time");
      }
      if (buf == null) {
        buf = new byte[8 * 1024];
      }
      socket.setSoTimeout(
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
      int n = raw.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    }
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
      case 501:
        return "Not Implemented";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /**
   * Stops accepting, drops every open connection, ends the threads (waiting up to a second for
   * them). Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    closeQuietly(server);
    for (Connection c : open) {
      drop(c);
    }
    List<Thread> threads;
    synchronized (ready) {
      for (Connection c : ready) {
        drop(c);
      }
      ready.clear();
      ready.notifyAll();
      threads = new ArrayList<>(workerThreads);
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    if (Thread.currentThread() == selectorThread || threads.contains(Thread.currentThread())) {
      return;
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    threads.add(selectorThread);
    try {
      for (Thread t : threads) {
        long left = until - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
