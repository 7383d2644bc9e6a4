package io.github.tpns4j;

import java.time.Clock;
import okhttp3.Request;

/**
 * Builds the request of each attempt, authenticated: {@code AccessId}, {@code TimeStamp} and {@code
 * Sign} over the exact body bytes, or Basic. Signed afresh per attempt, since the timestamp moves.
 * Thread-safe.
 */
final class SignedRequests {
  private final String accessId;
  private final Signer signer; // null for Basic
  private final String basicAuthorization; // null for signature
  private final String userAgent;
  private final Clock clock;

  SignedRequests(
      String accessId, Signer signer, String basicAuthorization, String userAgent, Clock clock) {
    this.accessId = accessId;
    this.signer = signer;
    this.basicAuthorization = basicAuthorization;
    this.userAgent = userAgent;
    this.clock = clock;
  }

  /** The signed request for one attempt, tagged with {@code wire} when not null. */
  Request request(CallSpec<?> spec, Lifecycle.WireState wire) {
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
      r.tag(Lifecycle.WireState.class, wire);
    }
    return r.build();
  }
}
