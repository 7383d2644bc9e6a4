package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.internal.AccountAccess;
import io.github.tpns4j.internal.BulkTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The client for the TPNS account APIs. Thread-safe: create one per app (access ID), share it, and
 * close it when the application stops.
 *
 * <pre>{@code
 * try (TpnsClient tpns = TpnsClient.builder()
 *     .accessId("1500001048")
 *     .secretKey(System.getenv("TPNS_SECRET_KEY"))
 *     .region(Region.SINGAPORE)
 *     .build()) {
 *   BatchOperateResult r = tpns.batchOperate(BatchOperateRequest.overwrite(
 *       TokenAccounts.of(token, Account.of("+8613711112222", AccountType.MOBILE))));
 *   r.failures().forEach(f -> log.warn("{} not bound: {}", f.key(), f.code()));
 * }
 * }</pre>
 *
 * <p>Every call is signed afresh and retried on I/O failures, timeouts, HTTP 429/500/502/503/504
 * and {@code ret_code} 1008004/1008028, with exponential backoff and jitter, honouring a {@code
 * Retry-After} of up to 60 seconds. It throws (or, for the async variants, completes with):
 *
 * <ul>
 *   <li>{@link TpnsValidationException}: bad input, nothing sent;
 *   <li>{@link TpnsAuthenticationException}: the credentials were refused;
 *   <li>{@link TpnsRateLimitException}: still rate limited after the retries;
 *   <li>{@link TpnsApiException}: any other {@code ret_code};
 *   <li>{@link TpnsHttpException}: a non-2xx answer without a TPNS body;
 *   <li>{@link TpnsTransportException}: I/O failure or timeout, after the retries;
 *   <li>{@link TpnsProtocolException}: a body that is not TPNS JSON.
 * </ul>
 */
public final class TpnsClient implements AutoCloseable {
  static final String VERSION = "0.1.0";
  static final Duration MAX_HONOURED_RETRY_AFTER = Duration.ofSeconds(60);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String BATCH_PATH = "v3/device/account/batchoperate";
  private static final String QUERY_PATH = "v3/device/account/query";
  private static final String BATCH_NAME = "POST /" + BATCH_PATH;
  private static final String QUERY_NAME = "POST /" + QUERY_PATH;

  private final String accessId;
  private final AuthMode authMode;
  private final HttpUrl baseUrl;
  private final HttpUrl batchUrl;
  private final HttpUrl queryUrl;
  private final Signer signer;
  private final String basicAuthorization;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final int maxRetries;
  private final long backoffInitialNanos;
  private final long backoffMaxNanos;
  private final JsonFactory json = new JsonFactory();
  private final String userAgent;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Async calls between attempts, so that close() can fail them. */
  private final Set<AsyncCall<?>> waiting = ConcurrentHashMap.newKeySet();

  private final Object schedulerLock = new Object();
  private ScheduledThreadPoolExecutor
      scheduler; // guarded by schedulerLock; made on the first async retry

  private TpnsClient(Builder b) {
    this.accessId = b.accessId;
    this.authMode = b.authMode;
    this.baseUrl = b.resolvedBaseUrl;
    this.batchUrl = baseUrl.resolve(BATCH_PATH);
    this.queryUrl = baseUrl.resolve(QUERY_PATH);
    this.signer = authMode == AuthMode.SIGNATURE ? new Signer(b.accessId, b.secretKey) : null;
    this.basicAuthorization =
        authMode == AuthMode.BASIC
            ? "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (b.accessId + ":" + b.secretKey).getBytes(StandardCharsets.UTF_8))
            : null;
    this.ownsHttp = b.okHttpClient == null;
    this.http = buildHttp(b);
    this.maxRetries = b.maxRetries;
    this.backoffInitialNanos = b.backoffInitial.toNanos();
    this.backoffMaxNanos = b.backoffMax.toNanos();
    this.userAgent = "tpns4j/" + VERSION;
    this.clock = b.clock;
  }

  private static OkHttpClient buildHttp(Builder b) {
    OkHttpClient.Builder h;
    if (b.okHttpClient != null) {
      // Shares the caller's connection pool and dispatcher; changes only this client's view.
      h = b.okHttpClient.newBuilder();
    } else {
      Dispatcher dispatcher = new Dispatcher();
      // Every call goes to one host: let async callers (bulk runs) use the whole dispatcher.
      dispatcher.setMaxRequestsPerHost(dispatcher.getMaxRequests());
      h = new OkHttpClient.Builder().dispatcher(dispatcher);
    }
    boolean own = b.okHttpClient == null;
    if (b.connectTimeout != null || own) {
      h.connectTimeout(orDefault(b.connectTimeout, Builder.DEFAULT_CONNECT_TIMEOUT));
    }
    if (b.readTimeout != null || own) {
      h.readTimeout(orDefault(b.readTimeout, Builder.DEFAULT_READ_TIMEOUT));
    }
    if (b.callTimeout != null || own) {
      h.callTimeout(orDefault(b.callTimeout, Builder.DEFAULT_CALL_TIMEOUT));
    }
    // The SDK's retry policy is the only one: maxRetries(0) means exactly one attempt. Redirects
    // are not followed: an API answering 3xx is misconfigured, and a redirect would carry the
    // signed headers to another host.
    return h.retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  private static Duration orDefault(Duration d, Duration fallback) {
    return d != null ? d : fallback;
  }

  /** A new builder; {@code accessId} and {@code secretKey} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends one batch operation and waits for its answer, retrying as described in the class
   * documentation.
   *
   * @return the accepted call's per-item outcome ({@code ret_code} 0, 1008026 or 1008027)
   * @throws TpnsException as listed in the class documentation
   */
  public BatchOperateResult batchOperate(BatchOperateRequest request) {
    return execute(batchCall(request));
  }

  /**
   * Sends one batch operation on OkHttp's dispatcher (no thread per call); retries alike. The
   * future completes exceptionally with the exception {@link #batchOperate} would throw; cancelling
   * it cancels the call in flight and any retry.
   */
  public CompletableFuture<BatchOperateResult> batchOperateAsync(BatchOperateRequest request) {
    return executeAsync(batchCall(request));
  }

  private Exchange<BatchOperateResult> batchCall(BatchOperateRequest request) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    return new Exchange<>(
        batchUrl,
        BATCH_NAME,
        AccountAccess.get().body(request),
        a -> BatchOperateResult.of(request, a.retCode, a.errMsg, a.result));
  }

  /**
   * Asks which tokens are bound to accounts, or which accounts to tokens, and waits for the answer.
   * Retried like {@link #batchOperate} (a query is read-only). Per-item codes such as {@code
   * "10110008"} (not found) are in the result, not thrown.
   *
   * @throws TpnsException as listed in the class documentation
   */
  public AccountQueryResult queryAccounts(AccountQueryRequest request) {
    return execute(queryCall(request));
  }

  /**
   * {@link #queryAccounts} on OkHttp's dispatcher; completes exceptionally like {@link
   * #batchOperateAsync}.
   */
  public CompletableFuture<AccountQueryResult> queryAccountsAsync(AccountQueryRequest request) {
    return executeAsync(queryCall(request));
  }

  private Exchange<AccountQueryResult> queryCall(AccountQueryRequest request) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    return new Exchange<>(
        queryUrl,
        QUERY_NAME,
        AccountAccess.get().body(request),
        a ->
            AccountQueryResult.of(
                request, a.retCode, a.errMsg, a.result, a.tokensByAccount, a.accountsByToken));
  }

  /**
   * Sends any number of items in calls of at most 20, up to {@link BulkRequest#concurrency} at once
   * on the async path, and blocks until every call is done. Each call is retried like {@link
   * #batchOperate}, except rate limiting: when TPNS answers 1008028 or HTTP 429, the whole run
   * halves its calls in flight and pauses (for the {@code Retry-After}, or the backoff), then sends
   * the chunk again, up to {@code maxRetries} times.
   *
   * @return every item's outcome; calls that failed as a whole are in {@link BulkResult#errors()}
   * @throws TpnsValidationException when an input item is invalid (see {@link BulkRequest})
   * @throws TpnsException when reading the input fails, or the thread is interrupted (calls in
   *     flight are left to finish; the interrupt flag stays set)
   */
  public BulkResult bulkOperate(BulkRequest request) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    if (closed.get()) {
      throw Failures.closed();
    }
    return AccountAccess.get().runBulk(request, bulkTransport);
  }

  private final BulkTransport bulkTransport =
      new BulkTransport() {
        @Override
        public CompletableFuture<BatchOperateResult> send(BatchOperateRequest request) {
          AsyncCall<BatchOperateResult> call = new AsyncCall<>(batchCall(request), false);
          call.start(0);
          return call.future;
        }

        @Override
        public boolean isClosed() {
          return closed.get();
        }

        @Override
        public long rateLimitDelayNanos(TpnsException failure, int retries) {
          return isRateLimit(failure) ? retryDelayNanos(failure, retries, true) : -1;
        }
      };

  /** One logical call: a body, where it goes, and how an accepted answer becomes a result. */
  static final class Exchange<T> {
    final HttpUrl url;
    final String name;
    final RequestBody body;
    final byte[] bytes;
    final Function<Answer, T> toResult;

    Exchange(HttpUrl url, String name, byte[] bytes, Function<Answer, T> toResult) {
      this.url = url;
      this.name = name;
      this.bytes = bytes;
      this.body = RequestBody.create(bytes, JSON);
      this.toResult = toResult;
    }

    /**
     * The result for a 2xx TPNS answer. Codes 1008026 and 1008027 (some or all items failed) carry
     * per-item outcomes and are results too; any other non-zero code is thrown.
     */
    T decode(Answer a, int httpStatus, Duration retryAfter) {
      if (a.retCode == 0 || a.retCode == 1008026 || a.retCode == 1008027) {
        return toResult.apply(a);
      }
      throw Failures.api(name, a.retCode, a.errMsg, httpStatus, retryAfter);
    }
  }

  private Request newRequest(Exchange<?> e) {
    Request.Builder r =
        new Request.Builder().url(e.url).post(e.body).header("User-Agent", userAgent);
    if (signer != null) {
      String now = Long.toString(clock.millis() / 1000);
      r.header("AccessId", accessId)
          .header("TimeStamp", now)
          .header("Sign", signer.sign(now, e.bytes));
    } else {
      r.header("Authorization", basicAuthorization);
    }
    return r.build();
  }

  /** Reads one answer into a result, or throws the exception it calls for. */
  private <T> T handle(Exchange<T> e, Response response) {
    int status = response.code();
    String retryAfterHeader = response.header("Retry-After");
    Duration retryAfter =
        retryAfterHeader == null
            ? null
            : Failures.parseRetryAfter(retryAfterHeader, clock.instant());
    byte[] body;
    try (ResponseBody b = response.body()) {
      body = b == null ? new byte[0] : b.bytes();
    } catch (IOException io) {
      throw Failures.transport(e.name, io, false);
    }
    boolean ok = status >= 200 && status < 300;
    Answer answer;
    try {
      answer = Answer.parse(json, body);
    } catch (Answer.MalformedException malformed) {
      if (ok) {
        throw Failures.protocol(e.name, status, body, malformed);
      }
      throw Failures.http(e.name, status, body, retryAfter);
    }
    if (ok) {
      return e.decode(answer, status, retryAfter);
    }
    if (answer.retCode != 0) {
      throw Failures.api(e.name, answer.retCode, answer.errMsg, status, retryAfter);
    }
    throw Failures.http(e.name, status, body, retryAfter);
  }

  /**
   * How long to wait before attempt {@code attempt + 1} after {@code failure}, in nanoseconds, or
   * -1 to give up.
   */
  long retryDelayNanos(TpnsException failure, int attempt, boolean retryRateLimits) {
    if (!failure.isRetryable() || attempt >= maxRetries || closed.get()) {
      return -1;
    }
    if (!retryRateLimits && isRateLimit(failure)) {
      return -1;
    }
    Duration retryAfter = failure.retryAfter().orElse(null);
    if (retryAfter != null) {
      // A server that asks for more than a minute wants the caller, not this call, to wait.
      return retryAfter.compareTo(MAX_HONOURED_RETRY_AFTER) > 0 ? -1 : retryAfter.toNanos();
    }
    return backoffNanos(attempt);
  }

  private static boolean isRateLimit(TpnsException e) {
    return e instanceof TpnsRateLimitException
        || (e instanceof TpnsHttpException && ((TpnsHttpException) e).httpStatus() == 429);
  }

  /** The backoff before retry {@code attempt + 1}: initial doubling per retry, capped, jittered. */
  long backoffNanos(int attempt) {
    long exp = backoffInitialNanos << Math.min(attempt, 30);
    long delay = exp <= 0 || exp > backoffMaxNanos ? backoffMaxNanos : exp;
    // "Equal jitter": at least half the delay, so retries from many callers spread out.
    return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }

  private <T> T execute(Exchange<T> e) {
    List<TpnsException> earlier = null;
    for (int attempt = 0; ; attempt++) {
      if (closed.get()) {
        throw Failures.closed();
      }
      TpnsException failure;
      try (Response response = http.newCall(newRequest(e)).execute()) {
        return handle(e, response);
      } catch (IOException io) {
        failure = Failures.transport(e.name, io, false);
      } catch (TpnsException t) {
        failure = t;
      } catch (Exception other) {
        // OkHttp 5 (Kotlin) can throw InterruptedException without declaring it.
        throw withEarlier(Failures.unexpected(e.name, other), earlier);
      }
      long delay = retryDelayNanos(failure, attempt, true);
      if (delay < 0) {
        throw withEarlier(failure, earlier);
      }
      if (earlier == null) {
        earlier = new ArrayList<>(maxRetries);
      }
      earlier.add(failure);
      try {
        TimeUnit.NANOSECONDS.sleep(delay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw withEarlier(Failures.interrupted(e.name, ie), earlier);
      }
    }
  }

  private static TpnsException withEarlier(TpnsException last, List<TpnsException> earlier) {
    if (earlier != null) {
      for (TpnsException t : earlier) {
        if (t != last) {
          last.addSuppressed(t);
        }
      }
    }
    return last;
  }

  private <T> CompletableFuture<T> executeAsync(Exchange<T> e) {
    AsyncCall<T> call = new AsyncCall<>(e, true);
    call.start(0);
    return call.future;
  }

  /** One asynchronous logical call: its attempts, their retries, and its future. */
  private final class AsyncCall<T> implements Callback {
    final Exchange<T> exchange;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final boolean retryRateLimits;
    private volatile Call current;
    private volatile int attempt;
    private List<TpnsException> earlier; // touched by one attempt at a time

    AsyncCall(Exchange<T> exchange, boolean retryRateLimits) {
      this.exchange = exchange;
      this.retryRateLimits = retryRateLimits;
      future.whenComplete(
          (r, t) -> {
            Call c = current;
            if (future.isCancelled() && c != null) {
              c.cancel();
            }
          });
    }

    void start(int attemptNo) {
      if (future.isDone()) {
        return;
      }
      if (closed.get()) {
        future.completeExceptionally(withEarlier(Failures.closed(), earlier));
        return;
      }
      attempt = attemptNo;
      Call c = http.newCall(newRequest(exchange));
      current = c;
      if (future.isCancelled()) {
        return;
      }
      c.enqueue(this);
    }

    @Override
    public void onFailure(Call call, IOException e) {
      failed(Failures.transport(exchange.name, e, call.isCanceled() || future.isCancelled()));
    }

    @Override
    public void onResponse(Call call, Response response) {
      T result;
      try (Response r = response) {
        result = handle(exchange, r);
      } catch (TpnsException t) {
        failed(t);
        return;
      } catch (RuntimeException unexpected) {
        future.completeExceptionally(unexpected);
        return;
      }
      future.complete(result);
    }

    private void failed(TpnsException failure) {
      long delay = future.isDone() ? -1 : retryDelayNanos(failure, attempt, retryRateLimits);
      if (delay < 0) {
        future.completeExceptionally(withEarlier(failure, earlier));
        return;
      }
      if (earlier == null) {
        earlier = new ArrayList<>(maxRetries);
      }
      earlier.add(failure);
      int next = attempt + 1;
      waiting.add(this);
      Runnable retry =
          () -> {
            waiting.remove(this);
            start(next);
          };
      if (!schedule(retry, delay)) {
        waiting.remove(this);
        closedWhileWaiting();
      }
    }

    void closedWhileWaiting() {
      future.completeExceptionally(withEarlier(Failures.closed(), earlier));
    }
  }

  /** Runs {@code task} after {@code delayNanos} on the retry timer; false when closed. */
  private boolean schedule(Runnable task, long delayNanos) {
    synchronized (schedulerLock) {
      if (closed.get()) {
        return false;
      }
      if (scheduler == null) {
        ScheduledThreadPoolExecutor s =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "tpns4j-retry-timer");
                  t.setDaemon(true);
                  return t;
                });
        s.setRemoveOnCancelPolicy(true);
        scheduler = s;
      }
      scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return true;
    }
  }

  /**
   * Releases what this client created: its retry timer and, when it made its own OkHttp client,
   * that client's threads and connections. A caller's {@code OkHttpClient} is never shut down.
   * Pending async retries complete exceptionally. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (schedulerLock) {
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
    }
    for (AsyncCall<?> call : waiting) {
      waiting.remove(call);
      call.closedWhileWaiting();
    }
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "TpnsClient{accessId="
        + accessId
        + ", baseUrl="
        + baseUrl
        + ", authMode="
        + authMode
        + ", maxRetries="
        + maxRetries
        + "}";
  }

  /**
   * Configures a {@link TpnsClient}. Not thread-safe; {@link #build()} validates everything and
   * throws {@link TpnsValidationException} naming what is missing or wrong.
   */
  public static final class Builder {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private String accessId;
    private String secretKey;
    private Region region = Region.GUANGZHOU;
    private String baseUrl;
    private HttpUrl resolvedBaseUrl;
    private AuthMode authMode = AuthMode.SIGNATURE;
    private Duration connectTimeout;
    private Duration readTimeout;
    private Duration callTimeout;
    private int maxRetries = 2;
    private Duration backoffInitial = Duration.ofMillis(200);
    private Duration backoffMax = Duration.ofSeconds(5);
    private OkHttpClient okHttpClient;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The clock for {@code TimeStamp} and {@code Retry-After} dates; tests only. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The app's access ID from the TPNS console, e.g. {@code 1500001048}. Required. */
    public Builder accessId(String accessId) {
      this.accessId = accessId;
      return this;
    }

    /** The app's secret key from the TPNS console. Required; never logged or shown. */
    public Builder secretKey(String secretKey) {
      this.secretKey = secretKey;
      return this;
    }

    /**
     * The app's service access point. Default {@link Region#GUANGZHOU}; {@link #baseUrl} overrides
     * it.
     */
    public Builder region(Region region) {
      this.region = region;
      return this;
    }

    /**
     * A base URL to use instead of the region's: a proxy, a gateway, or a fake server. With or
     * without a trailing {@code /}; a path prefix is kept ({@code https://gw.example/tpns} sends to
     * {@code https://gw.example/tpns/v3/device/account/batchoperate}). Null goes back to the
     * region.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** How requests are authenticated. Default {@link AuthMode#SIGNATURE}. */
    public Builder authMode(AuthMode authMode) {
      this.authMode = authMode;
      return this;
    }

    /**
     * The time allowed to connect, per attempt. Default 10 s, or the given {@link #okHttpClient}'s
     * value when left unset. {@link Duration#ZERO} means no timeout.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The time allowed between bytes of the answer, per attempt. Default 10 s, or the given {@link
     * #okHttpClient}'s value when left unset. {@link Duration#ZERO} means no timeout.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /**
     * The time allowed for one whole attempt (connect, send, answer). Default 30 s, or the given
     * {@link #okHttpClient}'s value when left unset. {@link Duration#ZERO} means no timeout.
     * Backoff between attempts is not counted.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout;
      return this;
    }

    /** How many times a retryable failure is retried. Default 2 (3 attempts); 0 means no retry. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The backoff between retries: {@code initial}, doubling per retry, capped at {@code max}, with
     * jitter (each wait is between half and all of that). Default 200 ms and 5 s. A server's {@code
     * Retry-After} of up to 60 s is used instead when present.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.backoffInitial = initial;
      this.backoffMax = max;
      return this;
    }

    /**
     * An OkHttp client to share its connection pool and dispatcher. The SDK derives its own view
     * with {@code newBuilder()} (its timeouts where set here, no OkHttp-level retries, no
     * redirects) and never shuts the given client down. Async calls are bounded by that
     * dispatcher's limits.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = client;
      return this;
    }

    /**
     * Validates the configuration and builds the client.
     *
     * @throws TpnsValidationException naming the setting that is missing or wrong
     */
    public TpnsClient build() {
      if (accessId == null || accessId.trim().isEmpty()) {
        throw new TpnsValidationException(
            "accessId is "
                + (accessId == null ? "missing" : "blank")
                + "; set it to the app's access ID from the TPNS console");
      }
      for (int i = 0; i < accessId.length(); i++) {
        char c = accessId.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          throw new TpnsValidationException(
              "accessId \""
                  + accessId
                  + "\" has a character that cannot go in an HTTP header at index "
                  + i
                  + "; TPNS access IDs are digits");
        }
      }
      if (secretKey == null || secretKey.trim().isEmpty()) {
        throw new TpnsValidationException(
            "secretKey is "
                + (secretKey == null ? "missing" : "blank")
                + "; set it to the app's secret key from the TPNS console");
      }
      if (authMode == null) {
        throw new TpnsValidationException(
            "authMode is null; use AuthMode.SIGNATURE (the default) or BASIC");
      }
      resolvedBaseUrl = resolveBaseUrl();
      checkTimeout("connectTimeout", connectTimeout);
      checkTimeout("readTimeout", readTimeout);
      checkTimeout("callTimeout", callTimeout);
      if (maxRetries < 0) {
        throw new TpnsValidationException(
            "maxRetries is " + maxRetries + "; it must be >= 0 (0 = no retry)");
      }
      if (backoffInitial == null || backoffMax == null) {
        throw new TpnsValidationException(
            "retryBackoff has a null duration; both initial and max are required");
      }
      if (backoffInitial.isNegative() || backoffMax.compareTo(backoffInitial) < 0) {
        throw new TpnsValidationException(
            "retryBackoff("
                + backoffInitial
                + ", "
                + backoffMax
                + ") is invalid; it needs 0 <= initial <= max");
      }
      return new TpnsClient(this);
    }

    private HttpUrl resolveBaseUrl() {
      if (baseUrl == null) {
        if (region == null) {
          throw new TpnsValidationException(
              "region is null; choose the app's access point, e.g. Region.GUANGZHOU");
        }
        return HttpUrl.get(region.baseUrl());
      }
      HttpUrl parsed = HttpUrl.parse(baseUrl.trim());
      if (parsed == null) {
        throw new TpnsValidationException(
            "baseUrl \""
                + baseUrl
                + "\" is not an http or https URL, e.g. "
                + Region.GUANGZHOU.baseUrl());
      }
      if (parsed.query() != null || parsed.fragment() != null) {
        throw new TpnsValidationException(
            "baseUrl \""
                + baseUrl
                + "\" has a query or fragment; give the URL the API paths are appended to");
      }
      String path = parsed.encodedPath();
      return path.endsWith("/") ? parsed : parsed.newBuilder().encodedPath(path + "/").build();
    }

    private static void checkTimeout(String name, Duration d) {
      if (d != null && d.isNegative()) {
        throw new TpnsValidationException(
            name + " is " + d + "; it must be >= 0 (Duration.ZERO = no timeout)");
      }
      if (d != null && d.toMillis() > Integer.MAX_VALUE) {
        throw new TpnsValidationException(
            name + " is " + d + "; it must fit in Integer.MAX_VALUE milliseconds");
      }
    }

    @Override
    public String toString() {
      return "TpnsClient.Builder{accessId="
          + accessId
          + ", secretKey="
          + (secretKey == null ? "null" : "***")
          + ", region="
          + region
          + ", baseUrl="
          + baseUrl
          + ", authMode="
          + authMode
          + "}";
    }
  }
}
