package io.github.tpns4j;

import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkQueryHandler;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.Authenticator;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

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
 * Retry-After} of up to 60 seconds; nothing else is retried (not an interrupt, not a TLS failure).
 * Answers are read up to 1 MiB. It throws (or, for the async variants, completes with):
 *
 * <ul>
 *   <li>{@link TpnsValidationException}: bad input, nothing sent;
 *   <li>{@link TpnsAuthenticationException}: the credentials were refused;
 *   <li>{@link TpnsRateLimitException}: still rate limited after the retries;
 *   <li>{@link TpnsApiException}: any other {@code ret_code};
 *   <li>{@link TpnsHttpException}: a non-2xx answer without a TPNS body;
 *   <li>{@link TpnsTransportException}: I/O failure or timeout, after the retries;
 *   <li>{@link TpnsProtocolException}: a body that is not TPNS JSON, or larger than 1 MiB;
 *   <li>{@link TpnsBulkStoppedException}: a bulk run that ended before its input (see {@link
 *       #bulkOperate}).
 * </ul>
 *
 * <p>Threads: sync calls run on the caller's thread; async calls and bulk runs on OkHttp's
 * dispatcher. The only thread tpns4j starts itself times async retries; it is a daemon and ends
 * when idle.
 */
public final class TpnsClient implements AutoCloseable {
  static final String VERSION = "0.1.0";
  private static final String BATCH_PATH = "v3/device/account/batchoperate";
  private static final String QUERY_PATH = "v3/device/account/query";
  private static final String BATCH_NAME = "POST /" + BATCH_PATH;
  private static final String QUERY_NAME = "POST /" + QUERY_PATH;

  private final String accessId;
  private final AuthMode authMode;
  private final HttpUrl baseUrl;
  private final HttpUrl batchUrl;
  private final HttpUrl queryUrl;
  private final Lifecycle lifecycle = new Lifecycle();
  private final CallRunner calls;
  private final BulkTransport bulkTransport;

  private TpnsClient(Builder b) {
    this.accessId = b.accessId;
    this.authMode = b.authMode;
    this.baseUrl = b.resolvedBaseUrl;
    this.batchUrl = baseUrl.resolve(BATCH_PATH);
    this.queryUrl = baseUrl.resolve(QUERY_PATH);
    String credentials =
        Base64.getEncoder()
            .encodeToString((b.accessId + ":" + b.secretKey).getBytes(StandardCharsets.UTF_8));
    Signer signer = authMode == AuthMode.SIGNATURE ? new Signer(b.accessId, b.secretKey) : null;
    String basic = authMode == AuthMode.BASIC ? "Basic " + credentials : null;
    OkHttpClient http = buildHttp(b, lifecycle);
    if (b.okHttpClient == null) {
      lifecycle.own(http);
    }
    this.calls =
        new CallRunner(
            http,
            new SignedRequests(accessId, signer, basic, "tpns4j/" + VERSION, b.clock),
            new AnswerReader(b.clock, new Redactor(b.secretKey, credentials)),
            new RetryPolicy(b.maxRetries, b.backoffInitial, b.backoffMax, b.rateLimitTimeout),
            lifecycle,
            Events.of(b.eventListener),
            b.callDeadline.toNanos(),
            b.callbackExecutor);
    this.bulkTransport = new ClientBulkTransport(calls, batchUrl, queryUrl);
  }

  private static OkHttpClient buildHttp(Builder b, Lifecycle lifecycle) {
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
      h.callTimeout(orDefault(b.callTimeout, Duration.ZERO));
    }
    // Outermost: nothing OkHttp throws escapes onto its threads.
    h.interceptors().add(0, AnswerReader.containingInterceptor());
    // One network interceptor (each one is a step of every call): nothing reaches the wire after
    // close(), and only tpns4j sees Retry-After.
    h.networkInterceptors()
        .add(chain -> AnswerReader.hideRetryAfter(lifecycle.proceedIfOpen(chain)));
    // The SDK's retry policy is the only one: maxRetries(0) means exactly one attempt. Redirects
    // are not followed: an API answering 3xx is misconfigured, and a redirect would carry the
    // signed headers to another host. A caller's authenticator is for its other hosts.
    return h.retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .authenticator(Authenticator.NONE)
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
    return calls.execute(batchSpec(request));
  }

  /**
   * Sends one batch operation on OkHttp's dispatcher (no thread per call); retries alike. The
   * future completes exceptionally with the exception {@link #batchOperate} would throw; cancelling
   * it cancels the call in flight and any retry.
   */
  public CompletableFuture<BatchOperateResult> batchOperateAsync(BatchOperateRequest request) {
    return calls.executeAsync(batchSpec(request));
  }

  private CallSpec<BatchOperateResult> batchSpec(BatchOperateRequest request) {
    return batchSpec(request, batchUrl);
  }

  static CallSpec<BatchOperateResult> batchSpec(BatchOperateRequest request, HttpUrl url) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    return new CallSpec<>(
        url,
        BATCH_NAME,
        TpnsEventListener.Endpoint.BATCHOPERATE,
        request.toJson(),
        null,
        a -> BatchOperateResult.of(request, a.retCode, a.errMsg, a.result),
        BatchOperateResult::retCode);
  }

  /**
   * Asks which tokens are bound to accounts, or which accounts to tokens, and waits for the answer.
   * Retried like {@link #batchOperate} (a query is read-only). Per-item codes such as {@code
   * "10110008"} (not found) are in the result, not thrown.
   *
   * @throws TpnsException as listed in the class documentation
   */
  public AccountQueryResult queryAccounts(AccountQueryRequest request) {
    return calls.execute(querySpec(request));
  }

  /**
   * {@link #queryAccounts} on OkHttp's dispatcher; completes exceptionally like {@link
   * #batchOperateAsync}.
   */
  public CompletableFuture<AccountQueryResult> queryAccountsAsync(AccountQueryRequest request) {
    return calls.executeAsync(querySpec(request));
  }

  private CallSpec<AccountQueryResult> querySpec(AccountQueryRequest request) {
    return querySpec(request, queryUrl);
  }

  static CallSpec<AccountQueryResult> querySpec(AccountQueryRequest request, HttpUrl queryUrl) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    return new CallSpec<>(
        queryUrl,
        QUERY_NAME,
        TpnsEventListener.Endpoint.QUERY,
        request.toJson(),
        request.keys(),
        a ->
            AccountQueryResult.of(
                request, a.retCode, a.errMsg, a.result, a.tokensByAccount(), a.accountsByToken()),
        AccountQueryResult::retCode);
  }

  /** A query of a bulk run: its answer is read for the run alone, into no result. */
  static CallSpec<QueryAnswer> bulkQuerySpec(AccountQueryRequest request, HttpUrl queryUrl) {
    List<String> keys = request.keys();
    boolean byAccount = request.operatorType() == 1;
    return new CallSpec<>(
        queryUrl,
        QUERY_NAME,
        TpnsEventListener.Endpoint.QUERY,
        request.toJson(),
        keys,
        a -> QueryAnswer.of(keys, byAccount, a),
        q -> q.retCode);
  }

  /**
   * Sends any number of items in calls of at most 20, up to {@link BulkRequest#concurrency} at once
   * on the async path, and blocks until every call is done. Each call is retried like {@link
   * #batchOperate}, except rate limiting: when TPNS answers 1008028 or HTTP 429, the whole run
   * halves its calls in flight and pauses (for the {@code Retry-After}, or the backoff), then sends
   * the chunk again, up to {@code maxRetries} times. The progress listener is called on this
   * thread.
   *
   * @return every item's outcome; calls that failed as a whole are in {@link BulkResult#errors()}
   * @throws TpnsBulkStoppedException when the run ends before its input: an invalid item, an input
   *     or listener that throws, this client closed, refused credentials or an unavailable app, 16
   *     calls in a row failed as a whole, an interrupt; it says where to resume
   */
  public BulkResult bulkOperate(BulkRequest request) {
    if (request == null) {
      throw new TpnsValidationException("request is null");
    }
    if (lifecycle.isClosed()) {
      throw Failures.closed();
    }
    return (BulkResult) new BulkRun<>(new OperateJob(request), bulkTransport).run();
  }

  /**
   * Looks up any number of accounts (their tokens) or tokens (their accounts) in calls of at most
   * 20, up to {@link BulkQueryRequest#concurrency} at once, and hands each key's answer to {@code
   * handler} on this thread as it arrives; nothing is collected in memory. Calls are retried and
   * slowed down on rate limiting exactly as in {@link #bulkOperate}, and the run stops for the same
   * reasons, or when the handler throws. A key TPNS does not know ({@code "10110008"}) is an answer
   * with no bindings, not a failure.
   *
   * <pre>{@code
   * BulkQueryResult<Account, String> r = client.bulkQuery(
   *     BulkQueryRequest.tokensOfAccounts(accounts),
   *     (account, tokens) -> out.write(account, tokens));
   * }</pre>
   *
   * @return the counts, and every key not answered
   * @throws TpnsBulkQueryStoppedException when the run ends before its input; it says where to
   *     resume, and {@link TpnsBulkQueryStoppedException#partialResult(BulkQueryRequest)} what to
   *     ask again
   */
  public <K, V> BulkQueryResult<K, V> bulkQuery(
      BulkQueryRequest<K, V> request, BulkQueryHandler<K, V> handler) {
    if (request == null || handler == null) {
      throw new TpnsValidationException(request == null ? "request is null" : "handler is null");
    }
    if (lifecycle.isClosed()) {
      throw Failures.closed();
    }
    @SuppressWarnings("unchecked")
    BulkQueryResult<K, V> result =
        (BulkQueryResult<K, V>)
            new BulkRun<>(new QueryJob<>(request, handler), bulkTransport).run();
    return result;
  }

  /** The client as a bulk run sees it. */
  private static final class ClientBulkTransport implements BulkTransport {
    private final CallRunner calls;
    private final HttpUrl batchUrl;
    private final HttpUrl queryUrl;

    ClientBulkTransport(CallRunner calls, HttpUrl batchUrl, HttpUrl queryUrl) {
      this.calls = calls;
      this.batchUrl = batchUrl;
      this.queryUrl = queryUrl;
    }

    @Override
    public CallRunner.AsyncCall<QueryAnswer> call(
        AccountQueryRequest request, RetryBudget budget, RetryPolicy.History history, Lane lane) {
      return calls.bulkCall(bulkQuerySpec(request, queryUrl), budget, history, lane);
    }

    @Override
    public CallRunner.AsyncCall<BatchOperateResult> call(
        BatchOperateRequest request, RetryBudget budget, RetryPolicy.History history, Lane lane) {
      return calls.bulkCall(batchSpec(request, batchUrl), budget, history, lane);
    }

    @Override
    public java.util.concurrent.Executor executor() {
      return calls.http.dispatcher().executorService();
    }

    @Override
    public boolean isClosed() {
      return calls.lifecycle.isClosed();
    }

    @Override
    public Runnable onClose(Runnable wake) {
      return calls.lifecycle.onClose(wake);
    }

    @Override
    public Events events() {
      return calls.events;
    }
  }

  /** The engine; tests only. */
  CallRunner calls() {
    return calls;
  }

  /**
   * Releases what this client created, and ends what it still has running: sync callers waiting to
   * retry wake and fail, async calls not yet on the wire and async retries waiting for their turn
   * complete at once with a non-retryable "closed" {@link TpnsException}, bulk runs stop within a
   * second with {@link TpnsBulkStoppedException}. Calls already on the wire finish, at their {@link
   * Builder#callDeadline} at the latest (the retry timer's thread stays until they have). When the
   * client made its own OkHttp client, that client's threads and connections are released; a
   * caller's {@code OkHttpClient} is never shut down, but none of this client's requests it still
   * holds queued is sent. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "TpnsClient{accessId="
        + accessId
        + ", baseUrl="
        + baseUrl
        + ", authMode="
        + authMode
        + ", closed="
        + lifecycle.isClosed()
        + "}";
  }

  /**
   * Configures a {@link TpnsClient}. Not thread-safe; {@link #build()} validates everything and
   * throws {@link TpnsValidationException} naming what is missing or wrong.
   */
  public static final class Builder {
    /** The default {@link #region}: Guangzhou. */
    public static final Region DEFAULT_REGION = Region.GUANGZHOU;

    /** The default {@link #authMode}: signature (the secret never travels). */
    public static final AuthMode DEFAULT_AUTH_MODE = AuthMode.SIGNATURE;

    /** The default {@link #connectTimeout}, per attempt, when the SDK makes its OkHttp client. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default {@link #readTimeout}, per attempt, when the SDK makes its OkHttp client. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    /** The default {@link #maxRetries}: 2, so 3 attempts. */
    public static final int DEFAULT_MAX_RETRIES = 2;

    /** The default first wait of {@link #retryBackoff}. */
    public static final Duration DEFAULT_RETRY_BACKOFF_INITIAL = Duration.ofMillis(200);

    /** The default longest wait of {@link #retryBackoff}. */
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(5);

    /** The default {@link #rateLimitTimeout}: a throttled run waits this long for a success. */
    public static final Duration DEFAULT_RATE_LIMIT_TIMEOUT = Duration.ofMinutes(10);

    /** The default {@link #callDeadline}: what a request thread can afford to wait at most. */
    public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(30);

    private static final Duration MIN_DURATION = Duration.ofMillis(1);
    private static final Duration MAX_DURATION = Duration.ofMillis(Integer.MAX_VALUE);

    private String accessId;
    private String secretKey;
    private Region region = DEFAULT_REGION;
    private String baseUrl;
    private HttpUrl resolvedBaseUrl;
    private AuthMode authMode = DEFAULT_AUTH_MODE;
    private Duration connectTimeout;
    private Duration readTimeout;
    private Duration callTimeout;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration backoffInitial = DEFAULT_RETRY_BACKOFF_INITIAL;
    private Duration backoffMax = DEFAULT_RETRY_BACKOFF_MAX;
    private Duration callDeadline = DEFAULT_CALL_DEADLINE;
    private Duration rateLimitTimeout = DEFAULT_RATE_LIMIT_TIMEOUT;
    private OkHttpClient okHttpClient;
    private Executor callbackExecutor;
    private TpnsEventListener eventListener;
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
     * value when left unset. {@link Duration#ZERO} means no timeout; otherwise 1 ms to {@code
     * Integer.MAX_VALUE} ms (OkHttp's limit, about 24.8 days).
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The time allowed between bytes of the answer (and of the request), per attempt. Default 10 s,
     * or the given {@link #okHttpClient}'s value when left unset. {@link Duration#ZERO} means no
     * timeout; otherwise 1 ms to {@code Integer.MAX_VALUE} ms.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /**
     * The time allowed for one whole attempt (connect, send, answer). Default none ({@link
     * Duration#ZERO}), or the given {@link #okHttpClient}'s value when left unset: the connect and
     * read timeouts already bound every step. Otherwise 1 ms to {@code Integer.MAX_VALUE} ms. Its
     * expiry is a retryable {@link TpnsTransportException} (not a cancellation), on the sync and
     * the async path alike. Backoff between attempts is not counted.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout;
      return this;
    }

    /**
     * The longest one call may take as a whole, from the moment it is made: time queued for
     * OkHttp's dispatcher, every attempt (a server trickling its answer byte by byte included) and
     * every wait before a retry. Default 30 s; {@link Duration#ZERO} means none; otherwise 1 ms to
     * {@code Integer.MAX_VALUE} ms. A call still running at its deadline ends then (within 10 ms)
     * with a retryable {@link TpnsTransportException} that says so, its attempt cancelled. No wait
     * begins that would end after it: a retryable failure whose backoff or {@code Retry-After} is
     * longer than what is left ends the call at once (still retryable, with {@link
     * TpnsException#retryAfter()} when the server asked for a wait). A bulk run's calls have the
     * same deadline each, from when the run sends them.
     */
    public Builder callDeadline(Duration deadline) {
      this.callDeadline = deadline;
      return this;
    }

    /**
     * How long TPNS may go on rate limiting ({@code 1008028}, HTTP 429) before the client gives up.
     * Default 10 minutes; 1 ms to {@code Integer.MAX_VALUE} ms. Throttling is pacing, not failure:
     * a rate-limited call is always waited out ({@code Retry-After}, or the backoff) and sent
     * again, whatever {@link #maxRetries} is; a bulk run also halves its calls in flight. A bulk
     * run gives up, and stops resumably, only when no call of it has succeeded for this long; a
     * single call, when it has been rate limited for this long since it was made (its {@link
     * #callDeadline} comes first when shorter).
     */
    public Builder rateLimitTimeout(Duration timeout) {
      this.rateLimitTimeout = timeout;
      return this;
    }

    /**
     * How many times a retryable error is retried. Default 2 (3 attempts); 0 means exactly one
     * attempt. Rate limits are not errors and are not counted here: see {@link #rateLimitTimeout}.
     * Any value up to {@code Integer.MAX_VALUE} ("until it works") is fine: only a few earlier
     * failures are kept, as suppressed exceptions of the last.
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The backoff between retries: {@code initial}, doubling per retry, capped at {@code max}, with
     * jitter (each wait is between half and all of that). Default 200 ms and 5 s. {@code initial}
     * of {@link Duration#ZERO} retries without waiting; other values are 1 ms to {@code
     * Integer.MAX_VALUE} ms, with {@code initial <= max}. A server's {@code Retry-After} of up to
     * 60 s is used instead when present.
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
     * Where the futures of {@code batchOperateAsync} and {@code queryAccountsAsync} complete, and
     * so where their dependent stages ({@code thenApply}, ...) run. Default none: they complete on
     * OkHttp's dispatcher thread, which holds its dispatcher slot until they return, so a dependent
     * stage that blocks on another call of the same client can deadlock once the dispatcher's
     * {@code maxRequestsPerHost} slots are taken. Give an executor (an app's own pool, say) to move
     * them off OkHttp's threads; when it refuses a task, the future completes on the completing
     * thread. The client never shuts it down. Null goes back to the default.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = executor;
      return this;
    }

    /**
     * A listener for what the client does (attempts, calls, retries, bulk slow-downs), e.g. the
     * Micrometer listener of {@code tpns4j-micrometer}. Default none, which costs nothing. Null
     * removes it.
     */
    public Builder eventListener(TpnsEventListener listener) {
      this.eventListener = listener;
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
      if (authMode == AuthMode.BASIC
          && !resolvedBaseUrl.isHttps()
          && !isLoopback(resolvedBaseUrl.host())) {
        throw new TpnsValidationException(
            "authMode BASIC sends the secret key with every request, and baseUrl "
                + resolvedBaseUrl
                + " is plain http to a host that is not loopback: anyone on the way could read it."
                + " Use an https base URL, or AuthMode.SIGNATURE (the default), which never sends"
                + " the secret");
      }
      checkTimeout("connectTimeout", connectTimeout);
      checkTimeout("readTimeout", readTimeout);
      checkTimeout("callTimeout", callTimeout);
      if (callDeadline == null) {
        throw new TpnsValidationException(
            "callDeadline is null; use Duration.ZERO for none (default "
                + DEFAULT_CALL_DEADLINE
                + ")");
      }
      checkDuration("callDeadline", callDeadline);
      if (rateLimitTimeout == null || rateLimitTimeout.isZero()) {
        throw new TpnsValidationException(
            "rateLimitTimeout is "
                + rateLimitTimeout
                + "; give how long a rate-limited run may wait for a success (default "
                + DEFAULT_RATE_LIMIT_TIMEOUT
                + ")");
      }
      checkDuration("rateLimitTimeout", rateLimitTimeout);
      if (maxRetries < 0) {
        throw new TpnsValidationException(
            "maxRetries is " + maxRetries + "; it must be >= 0 (0 = no retry)");
      }
      if (backoffInitial == null || backoffMax == null) {
        throw new TpnsValidationException(
            "retryBackoff has a null duration; both initial and max are required");
      }
      checkDuration("retryBackoff initial", backoffInitial);
      checkDuration("retryBackoff max", backoffMax);
      if (backoffMax.compareTo(backoffInitial) < 0) {
        throw new TpnsValidationException(
            "retryBackoff("
                + backoffInitial
                + ", "
                + backoffMax
                + ") is invalid; it needs initial <= max");
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

    /** localhost, 127.0.0.0/8 or ::1: a fake server or a local proxy, where http stays inside. */
    private static boolean isLoopback(String host) {
      return host.equalsIgnoreCase("localhost")
          || host.startsWith("127.")
          || host.equals("::1")
          || host.equals("0:0:0:0:0:0:0:1");
    }

    private static void checkTimeout(String name, Duration d) {
      if (d != null) {
        checkDuration(name, d);
      }
    }

    /** ZERO, or 1 ms to Integer.MAX_VALUE ms: what OkHttp takes, and no overflow anywhere. */
    private static void checkDuration(String name, Duration d) {
      if (d.isNegative()) {
        throw new TpnsValidationException(
            name + " is " + d + "; it must not be negative (Duration.ZERO = none)");
      }
      if (d.isZero()) {
        return;
      }
      if (d.compareTo(MIN_DURATION) < 0) {
        throw new TpnsValidationException(
            name
                + " is "
                + d
                + "; below 1 ms it would silently become 'none'. Use Duration.ZERO for none, "
                + "or at least 1 ms");
      }
      if (d.compareTo(MAX_DURATION) > 0) {
        throw new TpnsValidationException(
            name
                + " is "
                + d
                + "; at most Integer.MAX_VALUE milliseconds (about 24.8 days, OkHttp's limit). "
                + "Use Duration.ZERO for none");
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
