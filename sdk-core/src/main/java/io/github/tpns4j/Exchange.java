package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLKeyException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLProtocolException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP attempt: the signed request, and its answer (or its failure) turned into a result or the
 * {@link TpnsException} it calls for. Knows nothing of retries. Thread-safe.
 */
final class Exchange {
  /** Answers are read up to this many bytes (after gzip); the largest documented is far smaller. */
  static final long MAX_ANSWER_BYTES = 1024 * 1024;

  /** Where {@link #networkInterceptor} moves {@code Retry-After}, out of OkHttp's sight. */
  static final String RETRY_AFTER_COPY = "Tpns4j-Retry-After";

  private static final MediaType JSON = MediaType.get("application/json");

  private final String accessId;
  private final Signer signer; // null for Basic
  private final String basicAuthorization; // null for signature
  private final String userAgent;
  private final Clock clock;
  private final Redactor redactor;
  private final JsonFactory json = new JsonFactory();

  Exchange(
      String accessId,
      Signer signer,
      String basicAuthorization,
      String userAgent,
      Clock clock,
      Redactor redactor) {
    this.accessId = accessId;
    this.signer = signer;
    this.basicAuthorization = basicAuthorization;
    this.userAgent = userAgent;
    this.clock = clock;
    this.redactor = redactor;
  }

  /** What one logical call sends and how an accepted answer becomes its result. Immutable. */
  static final class Spec<T> {
    final HttpUrl url;
    final String name;
    final TpnsEventListener.Endpoint endpoint;
    final byte[] bytes;
    final RequestBody body;
    final Function<Answer, T> toResult;
    final ToIntFunction<T> retCodeOf;

    Spec(
        HttpUrl url,
        String name,
        TpnsEventListener.Endpoint endpoint,
        String json,
        Function<Answer, T> toResult,
        ToIntFunction<T> retCodeOf) {
      this.url = url;
      this.name = name;
      this.endpoint = endpoint;
      this.bytes = json.getBytes(StandardCharsets.UTF_8);
      this.body = RequestBody.create(bytes, JSON);
      this.toResult = toResult;
      this.retCodeOf = retCodeOf;
    }
  }

  /**
   * Whether an attempt reached the wire; settles the race between {@code close()} and OkHttp's
   * dispatcher. Carried as the request's tag.
   */
  static final class WireState {
    private static final int QUEUED = 0;
    private static final int ON_WIRE = 1;
    private static final int CLOSED = 2;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /** From the network interceptor: false when {@code close()} got there first. */
    boolean toWire() {
      return state.compareAndSet(QUEUED, ON_WIRE) || state.get() == ON_WIRE;
    }

    /** From {@code close()}: true when the attempt never reached the wire, and now never will. */
    boolean closeBeforeWire() {
      return state.compareAndSet(QUEUED, CLOSED);
    }
  }

  /** Thrown on OkHttp's side when the client was closed before the request reached the wire. */
  static final class ClosedBeforeWire extends IOException {
    private static final long serialVersionUID = 1L;

    ClosedBeforeWire() {
      super("the TpnsClient was closed before the request was sent");
    }
  }

  /** A non-I/O throwable from inside OkHttp, carried out as an I/O failure of this attempt. */
  static final class HttpStackFailure extends IOException {
    private static final long serialVersionUID = 1L;

    HttpStackFailure(Throwable cause) {
      super(String.valueOf(cause), cause);
    }
  }

  /**
   * The outermost application interceptor: whatever OkHttp throws inside (an {@code
   * IllegalStateException} on a malformed answer, even an {@code Error}) becomes this attempt's
   * failure, with the throwable as its cause, instead of escaping onto a dispatcher thread (OkHttp
   * rethrows what reaches it there, after the callback).
   */
  static Interceptor containingInterceptor() {
    return chain -> {
      try {
        return chain.proceed(chain.request());
      } catch (IOException e) {
        throw e;
      } catch (RuntimeException | Error e) {
        throw new HttpStackFailure(e);
      }
    };
  }

  /**
   * The network interceptor: nothing reaches the wire after {@code close()}, and {@code
   * Retry-After} is hidden from OkHttp (which would otherwise repeat a 503 with {@code Retry-After:
   * 0}, or throw on a value too large for an int) so that only tpns4j decides about retries.
   */
  static Interceptor networkInterceptor(AtomicBoolean closed) {
    return chain -> {
      Request request = chain.request();
      WireState wire = request.tag(WireState.class);
      if (closed.get() || (wire != null && !wire.toWire())) {
        throw new ClosedBeforeWire();
      }
      Response response = chain.proceed(request);
      String retryAfter = response.header("Retry-After");
      if (retryAfter == null) {
        return response;
      }
      return response
          .newBuilder()
          .removeHeader("Retry-After")
          .header(RETRY_AFTER_COPY, retryAfter)
          .build();
    };
  }

  /** The signed request for one attempt; signed afresh each time (the timestamp moves). */
  Request request(Spec<?> spec, WireState wire) {
    // addHeader, not header: a new builder has nothing to replace, so skip the scan for it.
    Request.Builder r =
        new Request.Builder().url(spec.url).post(spec.body).addHeader("User-Agent", userAgent);
    if (signer != null) {
      String now = Long.toString(clock.millis() / 1000);
      r.addHeader("AccessId", accessId)
          .addHeader("TimeStamp", now)
          .addHeader("Sign", signer.sign(now, spec.bytes));
    } else {
      r.addHeader("Authorization", basicAuthorization);
    }
    if (wire != null) {
      r.tag(WireState.class, wire);
    }
    return r.build();
  }

  /** Reads one answer into a result, or throws the exception it calls for. Closes nothing. */
  <T> T read(Spec<T> spec, Response response) {
    Request request = response.request();
    int status = response.code();
    String retryAfterHeader = response.header(RETRY_AFTER_COPY);
    if (retryAfterHeader == null) {
      retryAfterHeader = response.header("Retry-After"); // a caller's interceptor in between
    }
    Duration retryAfter =
        retryAfterHeader == null
            ? null
            : Failures.parseRetryAfter(retryAfterHeader, clock.instant());
    byte[] body = body(spec, response);
    boolean ok = status >= 200 && status < 300;
    Answer answer;
    try {
      answer = Answer.parse(json, body);
    } catch (Answer.MalformedException malformed) {
      if (ok) {
        throw Failures.protocol(
            spec.name,
            status,
            redactor.quote(malformed.getMessage(), request),
            quoteBody(body, request),
            malformed);
      }
      throw Failures.http(spec.name, status, quoteBody(body, request), retryAfter);
    }
    if (ok && (answer.retCode == 0 || answer.retCode == 1008026 || answer.retCode == 1008027)) {
      // 1008026 and 1008027 (some or all items failed) carry per-item outcomes: results too.
      return spec.toResult.apply(answer);
    }
    if (answer.retCode != 0) {
      String errMsg = redactor.mask(answer.errMsg, request);
      throw Failures.api(
          spec.name, answer.retCode, errMsg, redactor.quote(errMsg, request), status, retryAfter);
    }
    throw Failures.http(spec.name, status, quoteBody(body, request), retryAfter);
  }

  /** The body, read up to {@link #MAX_ANSWER_BYTES}; a larger one is refused unread. */
  private byte[] body(Spec<?> spec, Response response) {
    ResponseBody b = response.body();
    if (b == null) {
      return new byte[0];
    }
    try {
      BufferedSource source = b.source();
      if (source.request(MAX_ANSWER_BYTES + 1)) {
        throw Failures.tooLarge(spec.name, response.code(), MAX_ANSWER_BYTES);
      }
      return source.readByteArray();
    } catch (IOException e) {
      throw failure(spec, response.request(), e);
    }
  }

  private String quoteBody(byte[] body, Request request) {
    if (body.length == 0) {
      return null;
    }
    int n = Math.min(body.length, 4 * Redactor.MAX_QUOTED * 4);
    String text = new String(body, 0, n, StandardCharsets.UTF_8);
    return redactor.quote(n < body.length ? text + "..." : text, request);
  }

  /**
   * The exception for an attempt that got no answer. Only these are retryable: I/O failures and
   * timeouts. Not: the client closed, an interrupt of the calling thread (its flag stays set), a
   * TLS handshake or certificate failure, a cancellation through OkHttp, anything unexpected.
   */
  TpnsException failure(Spec<?> spec, Request request, Throwable t) {
    String name = spec.name;
    if (t instanceof ClosedBeforeWire) {
      return Failures.closed();
    }
    if (t instanceof InterruptedException) {
      // OkHttp 5 (Kotlin) can throw it without declaring it.
      Thread.currentThread().interrupt();
      return Failures.interrupted(name, redactor.sanitize(t, request));
    }
    if (t instanceof HttpStackFailure) {
      return unexpected(spec, request, t.getCause());
    }
    if (!(t instanceof IOException)) {
      return unexpected(spec, request, t);
    }
    String problem = redactor.quote(String.valueOf(t), request);
    // The cause is kept for its type and stack; its text (and its causes') is masked and bounded,
    // since OkHttp quotes what the server sent (a status line, say).
    Throwable cause = redactor.sanitize(t, request);
    if (isTls(t)) {
      return Failures.tls(name, problem, cause);
    }
    boolean timedOut =
        t instanceof SocketTimeoutException
            || (t instanceof InterruptedIOException && "timeout".equals(t.getMessage()));
    if (!timedOut
        && (t instanceof InterruptedIOException || "interrupted".equals(t.getMessage()))
        && Thread.currentThread().isInterrupted()) {
      return Failures.interrupted(name, cause);
    }
    if (!timedOut && "Canceled".equals(t.getMessage())) {
      return Failures.canceled(name, cause);
    }
    return Failures.transport(name, timedOut, problem, cause);
  }

  /**
   * Anything the HTTP stack or the answer's handling threw that is not an I/O failure, as a
   * non-retryable failure whose message and causes are masked and bounded.
   *
   * @param request the attempt's request, for its {@code Sign}; null when there is none
   */
  TpnsException unexpected(Spec<?> spec, Request request, Throwable t) {
    return Failures.unexpected(
        spec.name, redactor.quote(String.valueOf(t), request), redactor.sanitize(t, request));
  }

  private static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLHandshakeException
          || c instanceof SSLPeerUnverifiedException
          || c instanceof SSLProtocolException
          || c instanceof SSLKeyException
          || c instanceof CertificateException
          || (c instanceof SSLException
              && String.valueOf(c.getMessage()).contains("nrecognized SSL message"))) {
        return true;
      }
    }
    return false;
  }
}
