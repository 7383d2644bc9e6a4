package io.github.tpns4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.LoopbackHttpServer.HttpRequest;
import io.github.tpns4j.testing.LoopbackHttpServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TPNS stand-in on loopback that behaves as TPNS documents the account APIs: it authenticates
 * every request, parses strictly, keeps binding state and answers in the documented JSON. Runs on a
 * small HTTP server of its own (nothing beyond Jackson on your test class path, no logging, nothing
 * printed). Thread-safe; starts in milliseconds.
 *
 * <pre>{@code
 * try (FakeTpnsServer tpns = FakeTpnsServer.start();
 *      TpnsClient client = tpns.clientBuilder().build()) {
 *   myService.onLogin(client, "token-1", "alice@example.com");
 *   assertThat(tpns.accountsOf("token-1")).containsExactly(Account.of("alice@example.com", 0));
 * }
 * }</pre>
 *
 * <p>What it answers:
 *
 * <ul>
 *   <li>{@code POST /v3/device/account/batchoperate} and {@code POST /v3/device/account/query}; 404
 *       for any other path, 405 for another method.
 *   <li>Authentication: a {@code Sign} valid for its credentials with a {@code TimeStamp} within 10
 *       minutes of its clock, or Basic auth. Another {@code AccessId}: {@code ret_code} 10030002;
 *       anything else wrong: 1008003.
 *   <li>Malformed JSON: 1008001. A required field missing for the {@code operator_type}: 1008002.
 *       More than 20 tokens (operations 1-4) or accounts (operation 5), an empty list, a blank
 *       token or account (Unicode spaces count as blank), a lone UTF-16 surrogate or a NUL in one,
 *       a value of the wrong JSON type, an unknown {@code operator_type}, an {@code account_type}
 *       that is not an integer from 0 to 2^31-1: 1008007. Such answers are HTTP 200, as TPNS sends
 *       them. Any well-formed JSON gets a TPNS answer; the connection is never dropped (but by
 *       {@link FakeFailure#disconnect()}).
 *   <li>Bindings: one account per {@code account_type} per token (unset is 0); operation 1 runs as
 *       2. An account already bound to 100 tokens is refused for another with the per-item code
 *       {@code "1008007"} (TPNS documents the limit but not its code). With {@link
 *       #setRequireRegisteredTokens(boolean) setRequireRegisteredTokens(true)}, an unregistered
 *       token gets {@code "1008006"} and is not changed. {@code ret_code} is 0, 1008026 (some items
 *       failed) or 1008027 (all failed).
 *   <li>Query: the documented camelCase answer ({@code retCode}, {@code errMsg} "ok", {@code
 *       result}, {@code account_tokens} or {@code token_accounts}); {@code "10110008"} for a token
 *       with no binding that was never registered, or an account with no token.
 * </ul>
 *
 * <p>Writes apply before the answer, unless {@link #setApplyDelay(Duration)} makes them apply
 * later, as TPNS does; {@link #bind(String, Account...)} sets up bindings without a client.
 *
 * <p>What it keeps: the bindings (as long as the fake runs; they are what it is for), the tokens
 * registered, the failures queued, the writes waiting for their apply delay, and two counters. No
 * request is recorded, so memory does not grow with the number of requests. A connection that
 * starts a TLS handshake (an {@code https://} URL against this plain-HTTP fake) is closed at once,
 * so the client fails at once.
 *
 * <p>As a server it is strict and bounded, since it may be exposed on a port: HTTP/1.1 framing as
 * RFC 9112 asks (a request with both {@code Transfer-Encoding} and {@code Content-Length}, two
 * {@code Content-Length}s, a signed or non-hex chunk size, or white space before a header's colon
 * gets 400 and its connection closed; an HTTP/1.0 request's connection is closed after the answer);
 * at most 64 requests served at once and 1024 connections open; a connection idle for 30 s between
 * requests is closed.
 */
public final class FakeTpnsServer implements AutoCloseable {
  static final String BATCH_PATH = "/v3/device/account/batchoperate";
  static final String QUERY_PATH = "/v3/device/account/query";
  static final int MAX_ITEMS = 20;
  static final long MAX_CLOCK_SKEW_SECONDS = 600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String accessId;
  private final String secretKey;
  private final LoopbackHttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final Bindings bindings = new Bindings();
  private final ConcurrentLinkedQueue<FakeFailure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Duration latency = Duration.ZERO;
  private volatile long applyDelayNanos;
  // Writes accepted but not yet applied (with an apply delay), in the order they were accepted.
  private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

  private static final class Pending {
    final long dueNanos;
    final java.util.function.Supplier<String> write;

    Pending(long dueNanos, java.util.function.Supplier<String> write) {
      this.dueNanos = dueNanos;
      this.write = write;
    }
  }

  private FakeTpnsServer(String accessId, String secretKey, InetSocketAddress address)
      throws IOException {
    this.accessId = accessId;
    this.secretKey = secretKey;
    this.server =
        address == null
            ? new LoopbackHttpServer(this::serve)
            : new LoopbackHttpServer(this::serve, address);
  }

  /** Starts a fake on a random loopback port with generated credentials. */
  public static FakeTpnsServer start() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    StringBuilder secret = new StringBuilder();
    for (byte b : key) {
      secret.append(String.format("%02x", b));
    }
    String id = "15" + String.format("%08d", RANDOM.nextInt(100_000_000));
    return start(id, secret.toString());
  }

  /** Starts a fake on a random loopback port that accepts these credentials. */
  public static FakeTpnsServer start(String accessId, String secretKey) {
    Objects.requireNonNull(accessId, "accessId");
    Objects.requireNonNull(secretKey, "secretKey");
    try {
      return new FakeTpnsServer(accessId, secretKey, null);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the fake TPNS server on loopback", e);
    }
  }

  /**
   * Starts a fake that accepts these credentials on this address: a fixed port ({@code 0}: any free
   * one), or another interface than loopback, for a fake other programs reach ({@code tpns4j
   * fake}). It serves plain HTTP: expose it only where a test credential may be seen.
   *
   * @throws UncheckedIOException when the address cannot be listened on (the port is taken)
   */
  public static FakeTpnsServer start(String accessId, String secretKey, InetSocketAddress address) {
    Objects.requireNonNull(accessId, "accessId");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(address, "address");
    try {
      return new FakeTpnsServer(accessId, secretKey, address);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not listen on " + address + " (" + e.getMessage() + ")", e);
    }
  }

  /** The URL to give {@code TpnsClient.Builder.baseUrl}, e.g. {@code http://127.0.0.1:41234/}. */
  public String baseUrl() {
    // The loopback address itself, not "localhost": no name lookup, and no chance of a client
    // trying ::1 first while the fake listens on 127.0.0.1.
    InetAddress bound = server.address();
    InetAddress loopback =
        bound == null || bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
    String host = loopback.getHostAddress();
    return "http://"
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + ":"
        + server.port()
        + "/";
  }

  /**
   * A client builder already pointed at this fake: its access ID, secret key and base URL. Add what
   * your test needs and {@code build()}.
   */
  public TpnsClient.Builder clientBuilder() {
    return TpnsClient.builder().accessId(accessId).secretKey(secretKey).baseUrl(baseUrl());
  }

  /** The access ID the fake accepts. */
  public String accessId() {
    return accessId;
  }

  /** The secret key the fake accepts. */
  public String secretKey() {
    return secretKey;
  }

  /**
   * The token's current accounts, each with an explicit type ({@code Account.of(name, 0)} when
   * unset).
   */
  public Set<Account> accountsOf(String token) {
    applyDue();
    Set<Account> out = new LinkedHashSet<>();
    for (Bindings.Key k : bindings.accountsOf(token)) {
      out.add(k.toAccount());
    }
    return Collections.unmodifiableSet(out);
  }

  /** The account's current tokens, in binding order; {@code Account.of(name)} means type 0. */
  public Set<String> tokensOf(Account account) {
    applyDue();
    return bindings.tokensOf(Bindings.Key.of(Objects.requireNonNull(account, "account")));
  }

  /**
   * Every binding now, by token (sorted), each token's accounts with explicit types, ordered by
   * type: a snapshot, to save and start a later fake from ({@link #bind}).
   */
  public java.util.SortedMap<String, Set<Account>> bindings() {
    applyDue();
    java.util.SortedMap<String, Set<Account>> out = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, List<Bindings.Key>> e : bindings.all().entrySet()) {
      Set<Account> accounts = new LinkedHashSet<>();
      for (Bindings.Key k : e.getValue()) {
        accounts.add(k.toAccount());
      }
      out.put(e.getKey(), Collections.unmodifiableSet(accounts));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * Binds accounts to a token at once, as an overwrite call would (replacing the token's account of
   * each type), whatever the {@link #setApplyDelay apply delay}: the state a test starts from.
   *
   * @throws IllegalArgumentException when the write is refused (see the class documentation)
   */
  public void bind(String token, Account... accounts) {
    Objects.requireNonNull(token, "token");
    List<Bindings.Key> keys = new ArrayList<>();
    for (Account a : accounts) {
      keys.add(Bindings.Key.of(Objects.requireNonNull(a, "account")));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("give at least one account");
    }
    String code = bindings.overwrite(token, keys);
    if (!Bindings.OK.equals(code)) {
      throw new IllegalArgumentException("the fake refused the binding with " + code);
    }
  }

  /**
   * Applies batch operations this long after they are answered, as TPNS does ("a success means the
   * task was accepted"): until then queries and {@link #accountsOf}/{@link #tokensOf} show the old
   * bindings. Writes apply in the order they were accepted. An unregistered token (with {@link
   * #setRequireRegisteredTokens}) is still refused at once; the 100-token limit is checked when the
   * write applies, and a write refused then is dropped, as an accepted task that fails would be.
   * Default zero: writes apply before the answer. Memory grows only with the writes waiting.
   */
  public void setApplyDelay(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("apply delay must be >= 0, was " + delay);
    }
    this.applyDelayNanos = delay.toNanos();
  }

  /** Applies every write still waiting for its {@link #setApplyDelay apply delay}, now. */
  public void applyPendingWrites() {
    applyDue(Long.MAX_VALUE);
  }

  /** How many accepted writes (one per token or account) wait for their apply delay. */
  public int pendingWrites() {
    synchronized (pending) {
      return pending.size();
    }
  }

  private void applyDue() {
    applyDue(System.nanoTime());
  }

  /** Applies, in order, the waiting writes due at {@code now} ({@code MAX_VALUE}: all). */
  private void applyDue(long now) {
    synchronized (pending) {
      Pending p;
      while ((p = pending.peek()) != null && (now == Long.MAX_VALUE || p.dueNanos - now <= 0)) {
        pending.poll();
        p.write.get();
      }
    }
  }

  /** A write of {@code token} (null for operation 5): applied now, or accepted for later. */
  private String write(String token, java.util.function.Supplier<String> write) {
    long delay = applyDelayNanos;
    if (delay == 0) {
      return write.get();
    }
    if (token != null && bindings.refusedNow(token)) {
      return Bindings.UNREGISTERED;
    }
    synchronized (pending) {
      pending.add(new Pending(System.nanoTime() + delay, write));
    }
    return Bindings.OK;
  }

  /** Makes a token known, as if a device had registered it with TPNS. */
  public void registerToken(String token) {
    bindings.register(Objects.requireNonNull(token, "token"));
  }

  /**
   * With {@code true}, batch operations on a token not {@link #registerToken registered} fail for
   * that item with {@code "1008006"}. Default false: every token is known.
   */
  public void setRequireRegisteredTokens(boolean require) {
    bindings.requireRegistered(require);
  }

  /** Delays every answer (including failures) by this much. Default zero. */
  public void setLatency(Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, was " + latency);
    }
    this.latency = latency;
  }

  /** Queues a failure: the next request not yet served a failure gets it, in order. */
  public void enqueueFailure(FakeFailure failure) {
    failures.add(Objects.requireNonNull(failure, "failure"));
  }

  /**
   * How many requests arrived, of any kind: every one read whole (answered, 404 and 405 included,
   * or served a queued failure, {@link FakeFailure#disconnect()} included), and every one the
   * server refused on its HTTP alone: malformed or ambiguously framed (400), a transfer coding
   * other than chunked (501), a body over 16 MiB (413), a line over 8 KiB or more than 100 header
   * fields (431). Not counted: a connection closed, or timed out, before a whole request arrived,
   * and one that starts a TLS handshake.
   */
  public int requestCount() {
    return requests.get() + server.refusedCount();
  }

  /** The most requests the fake was answering at the same time since it started. */
  public int peakConcurrentRequests() {
    return peakInFlight.get();
  }

  /** Stops the server and frees its port and threads. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }

  @Override
  public String toString() {
    return "FakeTpnsServer{baseUrl=" + baseUrl() + ", accessId=" + accessId + "}";
  }

  // ---- serving

  private Reply serve(HttpRequest request) throws InterruptedException {
    requests.incrementAndGet();
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    try {
      Reply response = answer(request);
      Duration delay = latency;
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
      }
      return response;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Reply answer(HttpRequest request) {
    String path = request.path;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    boolean query = QUERY_PATH.equals(path);
    if (!query && !BATCH_PATH.equals(path)) {
      return Reply.of(404, "text/plain", bytes("404 page not found"));
    }
    if (!"POST".equals(request.method)) {
      return Reply.of(405, null, null).header("Allow", "POST");
    }
    FakeFailure failure = failures.poll();
    if (failure != null) {
      return fail(failure, query);
    }
    applyDue();
    byte[] body = request.body;
    String auth = authenticate(request, body);
    if (auth != null) {
      int code = auth.startsWith("unknown AccessId") ? 10030002 : 1008003;
      return error(query, code, auth);
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException | RuntimeException e) {
      return error(query, 1008001, "parameter parse error: " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject()) {
      return error(query, 1008001, "parameter parse error: the body is not a JSON object");
    }
    try {
      return query ? query(root) : batch(root);
    } catch (Reject r) {
      return error(query, r.code, r.getMessage());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Reply fail(FakeFailure f, boolean query) {
    Reply r;
    switch (f.kind) {
      case RET_CODE:
        r = error(query, f.retCode, f.errMsg);
        break;
      case HTTP_STATUS:
        r = Reply.of(f.status, "text/plain", bytes(f.body));
        break;
      default:
        return Reply.disconnect();
    }
    if (f.retryAfter != null) {
      r.header("Retry-After", f.retryAfterHeader());
    }
    return r;
  }

  /** Null when authenticated; otherwise why not. */
  private String authenticate(HttpRequest request, byte[] body) {
    String authorization = request.header("Authorization");
    if (authorization != null) {
      if (!authorization.startsWith("Basic ")) {
        return "authentication failed: unsupported Authorization scheme";
      }
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return "authentication failed: Authorization is not Base64";
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return "authentication failed: Authorization has no ':'";
      }
      if (!decoded.substring(0, colon).equals(accessId)) {
        return "unknown AccessId";
      }
      return constantTimeEquals(decoded.substring(colon + 1), secretKey)
          ? null
          : "authentication failed: AccessID and secret key do not match";
    }
    String id = request.header("AccessId");
    String timestamp = request.header("TimeStamp");
    String sign = request.header("Sign");
    if (id == null || timestamp == null || sign == null) {
      return "authentication failed: AccessId, TimeStamp and Sign headers (or Authorization) are required";
    }
    if (!id.equals(accessId)) {
      return "unknown AccessId";
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return "authentication failed: TimeStamp is not a number";
    }
    long now = System.currentTimeMillis() / 1000;
    if (Math.abs(now - ts) > MAX_CLOCK_SKEW_SECONDS) {
      return "authentication failed: TimeStamp is more than 10 minutes from the server's clock";
    }
    return constantTimeEquals(sign, sign(secretKey, timestamp, id, body))
        ? null
        : "authentication failed: Sign does not match";
  }

  /**
   * The TPNS Sign, written independently of tpns4j-core so the fake checks the client, not itself.
   */
  static String sign(String secretKey, String timestamp, String accessId, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update(accessId.getBytes(StandardCharsets.UTF_8));
      byte[] digest = mac.doFinal(body);
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  // ---- batchoperate

  private Reply batch(JsonNode root) {
    int type = operatorType(root, 5);
    List<String> codes = new ArrayList<>();
    if (type <= 3) {
      List<String> tokens = new ArrayList<>();
      List<List<Bindings.Key>> accounts = new ArrayList<>();
      JsonNode entries = list(root, "token_accounts", "tokens");
      for (int i = 0; i < entries.size(); i++) {
        JsonNode e = entries.get(i);
        String at = "token_accounts[" + i + "]";
        if (!e.isObject()) {
          throw new Reject(1008007, at + " is not an object");
        }
        tokens.add(text(e, "token", at + ".token"));
        JsonNode list = e.get("account_list");
        if (list == null) {
          throw new Reject(1008002, "required parameter missing: " + at + ".account_list");
        }
        accounts.add(accounts(list, at + ".account_list"));
      }
      for (int i = 0; i < tokens.size(); i++) {
        String token = tokens.get(i);
        List<Bindings.Key> list = accounts.get(i);
        codes.add(
            type == 3
                ? write(token, () -> bindings.deleteAccounts(token, list))
                : write(
                    token, () -> bindings.overwrite(token, list))); // 1 runs as 2 since 2020-10-26
      }
    } else if (type == 4) {
      JsonNode list = list(root, "token_list", "tokens");
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        tokens.add(text(list.get(i), null, "token_list[" + i + "]"));
      }
      for (String token : tokens) {
        codes.add(write(token, () -> bindings.deleteAllForToken(token)));
      }
    } else {
      List<Bindings.Key> accounts =
          accounts(list(root, "account_list", "accounts"), "account_list");
      for (Bindings.Key a : accounts) {
        codes.add(write(null, () -> bindings.deleteAllForAccount(a)));
      }
    }
    int failed = 0;
    for (String c : codes) {
      if (!Bindings.OK.equals(c)) {
        failed++;
      }
    }
    int retCode = failed == 0 ? 0 : failed == codes.size() ? 1008027 : 1008026;
    ObjectNode out = json.createObjectNode();
    out.put("ret_code", retCode);
    out.put(
        "err_msg",
        retCode == 0
            ? "NO_ERROR"
            : retCode == 1008026 ? "batch operation partly failed" : "batch operation failed");
    ArrayNode result = out.putArray("result");
    codes.forEach(result::add);
    return ok(out);
  }

  // ---- query

  private Reply query(JsonNode root) {
    int type = operatorType(root, 2);
    ObjectNode out = json.createObjectNode();
    out.put("retCode", 0);
    out.put("errMsg", "ok");
    ArrayNode result = out.putArray("result");
    if (type == 1) {
      List<Bindings.Key> accounts = accounts(required(root, "account_list"), "account_list");
      if (accounts.size() > MAX_ITEMS) {
        throw new Reject(1008007, "account_list has " + accounts.size() + " accounts; 1 to 20");
      }
      ArrayNode entries = out.putArray("account_tokens");
      for (Bindings.Key a : accounts) {
        Set<String> tokens = bindings.tokensOf(a);
        result.add(tokens.isEmpty() ? "10110008" : "0");
        ObjectNode e = entries.addObject();
        e.put("account", a.name);
        e.put("account_type", a.type);
        ArrayNode list = e.putArray("token_list");
        tokens.forEach(list::add);
      }
    } else {
      JsonNode list = list(root, "token_list", "tokens");
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        tokens.add(text(list.get(i), null, "token_list[" + i + "]"));
      }
      ArrayNode entries = out.putArray("token_accounts");
      for (String token : tokens) {
        result.add(bindings.isKnown(token) ? "0" : "10110008");
        ObjectNode e = entries.addObject();
        e.put("token", token);
        ArrayNode accounts = e.putArray("account_list");
        for (Bindings.Key a : bindings.accountsOf(token)) {
          accounts.addObject().put("account", a.name).put("account_type", a.type);
        }
      }
    }
    return ok(out);
  }

  // ---- strict reading

  /** A request the server refuses as a whole, with its ret_code. */
  private static final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Reject(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private static int operatorType(JsonNode root, int max) {
    JsonNode t = required(root, "operator_type");
    if (!t.isInt() || t.asInt() < 1 || t.asInt() > max) {
      throw new Reject(1008007, "operator_type must be an integer from 1 to " + max + ", was " + t);
    }
    return t.asInt();
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new Reject(1008002, "required parameter missing: " + field);
    }
    return n;
  }

  /** A required array of 1 to 20 elements. */
  private static JsonNode list(JsonNode root, String field, String what) {
    JsonNode n = required(root, field);
    if (!n.isArray()) {
      throw new Reject(1008007, field + " must be an array");
    }
    if (n.isEmpty() || n.size() > MAX_ITEMS) {
      throw new Reject(
          1008007,
          field + " has " + n.size() + " " + what + "; 1 to " + MAX_ITEMS + " are allowed");
    }
    return n;
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode n = field == null ? node : node.get(field);
    if (n == null || n.isNull()) {
      throw new Reject(1008002, "required parameter missing: " + at);
    }
    if (!n.isTextual()) {
      throw new Reject(1008007, at + " must be a string, was " + n.getNodeType());
    }
    String v = n.asText();
    if (isBlank(v)) {
      throw new Reject(1008007, at + " must be a non-blank string");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == 0) {
        throw new Reject(1008007, at + " has a NUL character at index " + i);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < v.length()
          && Character.isLowSurrogate(v.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new Reject(1008007, at + " has a lone UTF-16 surrogate at index " + i);
      }
    }
    return v;
  }

  /** Blank: nothing but white space, Unicode space separators (U+2003, U+00A0) included. */
  private static boolean isBlank(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
        return false;
      }
    }
    return true;
  }

  private static List<Bindings.Key> accounts(JsonNode list, String at) {
    if (!list.isArray() || list.isEmpty()) {
      throw new Reject(1008007, at + " must be a non-empty array");
    }
    List<Bindings.Key> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      String where = at + "[" + i + "]";
      if (!a.isObject()) {
        throw new Reject(1008007, where + " is not an object");
      }
      String name = text(a, "account", where + ".account");
      JsonNode type = a.get("account_type");
      if (type == null || type.isNull()) {
        out.add(new Bindings.Key(name, 0));
      } else if (!type.isInt() || type.asInt() < 0) {
        throw new Reject(
            1008007, where + ".account_type must be an integer from 0 to 2^31-1, was " + type);
      } else {
        out.add(new Bindings.Key(name, type.asInt()));
      }
    }
    return out;
  }

  private Reply ok(ObjectNode body) {
    try {
      return Reply.of(200, "application/json", json.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Reply error(boolean query, int code, String message) {
    ObjectNode out = json.createObjectNode();
    out.put(query ? "retCode" : "ret_code", code);
    out.put(query ? "errMsg" : "err_msg", message);
    return ok(out);
  }
}
