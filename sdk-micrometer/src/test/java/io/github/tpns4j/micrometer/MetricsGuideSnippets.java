package io.github.tpns4j.micrometer;

import io.github.tpns4j.TpnsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;

/**
 * The snippets of docs/metrics-and-tracing.md, compiled on every build so that they stay true. Not
 * run.
 */
final class MetricsGuideSnippets {
  private MetricsGuideSnippets() {}

  static TpnsClient meters(MeterRegistry meterRegistry, String id, String secret) {
    TpnsClient client =
        TpnsClient.builder()
            .accessId(id)
            .secretKey(secret)
            .eventListener(new TpnsMicrometerListener(meterRegistry, Tags.of("client", "shop-app")))
            .build();
    return client;
  }

  static TpnsClient observations(
      ObservationRegistry observationRegistry, String id, String secret) {
    TpnsClient client =
        TpnsClient.builder()
            .accessId(id)
            .secretKey(secret)
            .eventListener(new TpnsObservationListener(observationRegistry, null, "shop-app"))
            .build();
    return client;
  }
}
