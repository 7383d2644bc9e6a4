package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLKeyException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLProtocolException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Classifies what an attempt got back, in one place: an answer becomes a result or the {@link
 * TpnsException} it calls for, and a throwable (I/O failure, timeout, TLS failure, interrupt,
 * anything unexpected) becomes the exception it calls for, with server text masked and bounded at
 * every depth of its cause chain. Knows nothing of retries. Thread-safe.
 */
final class AnswerReader {
  /** Answers are read up to this many bytes (after gzip); the largest documented is far smaller. */
  static final long MAX_ANSWER_BYTES = 1024 * 1024;

  /** Where {@link #hideRetryAfter} moves {@code Retry-After}, out of OkHttp's sight. */
  static final String RETRY_AFTER_COPY = "Tpns4j-Retry-After";

  private final Clock clock;
  private final Redactor redactor;
  private final JsonFactory json = new JsonFactory();

  AnswerReader(Clock clock, Redactor redactor) {
    this.clock = clock;
    this.redactor = redactor;
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
   * {@code response} with its {@code Retry-After} moved out of OkHttp's sight (OkHttp would
   * otherwise repeat a 503 with {@code Retry-After: 0}, or throw on a value too large for an int),
   * so that only tpns4j decides about retries. From the network interceptor.
   */
  static Response hideRetryAfter(Response response) {
    String retryAfter = response.header("Retry-After");
    if (retryAfter == null) {
      return response;
    }
    return response
        .newBuilder()
        .removeHeader("Retry-After")
        .header(RETRY_AFTER_COPY, retryAfter)
        .build();
  }

  /** Reads one answer into a result, or throws the exception it calls for. Closes nothing. */
  <T> T read(CallSpec<T> spec, Response response) {
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
      answer = Answer.parse(json, body, spec.answerKeys);
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
  private byte[] body(CallSpec<?> spec, Response response) {
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
  TpnsException failure(CallSpec<?> spec, Request request, Throwable t) {
    String name = spec.name;
    if (t instanceof Lifecycle.ClosedBeforeWire) {
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
  TpnsException unexpected(CallSpec<?> spec, Request request, Throwable t) {
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
