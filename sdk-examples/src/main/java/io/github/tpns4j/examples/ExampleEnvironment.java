package io.github.tpns4j.examples;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.time.Duration;
import java.util.Locale;

/**
 * The client the examples use: real TPNS when {@code TPNS_ACCESS_ID} and {@code TPNS_SECRET_KEY}
 * are set (with {@code TPNS_REGION} or {@code TPNS_BASE_URL}), otherwise the in-process fake server
 * from tpns4j-testing.
 */
final class ExampleEnvironment implements AutoCloseable {
  final TpnsClient client;
  final FakeTpnsServer fake; // null against real TPNS
  private final boolean ownsFake;

  private ExampleEnvironment(TpnsClient client, FakeTpnsServer fake, boolean ownsFake) {
    this.client = client;
    this.fake = fake;
    this.ownsFake = ownsFake;
  }

  static ExampleEnvironment fromEnv(Duration fakeLatency) {
    String accessId = System.getenv("TPNS_ACCESS_ID");
    String secretKey = System.getenv("TPNS_SECRET_KEY");
    if (isSet(accessId) && isSet(secretKey)) {
      TpnsClient.Builder b = TpnsClient.builder().accessId(accessId).secretKey(secretKey);
      String baseUrl = System.getenv("TPNS_BASE_URL");
      String region = System.getenv("TPNS_REGION");
      if (isSet(baseUrl)) {
        b.baseUrl(baseUrl);
      } else if (isSet(region)) {
        try {
          b.region(Region.valueOf(region.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
          System.err.println(
              "TPNS_REGION="
                  + region
                  + " is not one of "
                  + java.util.Arrays.toString(Region.values()));
          System.exit(2);
        }
      }
      TpnsClient client = b.build();
      System.out.println("Using real TPNS: " + client);
      return new ExampleEnvironment(client, null, true);
    }
    FakeTpnsServer fake = FakeTpnsServer.start();
    fake.setLatency(fakeLatency);
    System.out.println(
        "TPNS_ACCESS_ID/TPNS_SECRET_KEY not set: using the in-process fake TPNS server at "
            + fake.baseUrl()
            + " (latency "
            + fakeLatency.toMillis()
            + " ms)");
    return new ExampleEnvironment(clientFor(fake), fake, true);
  }

  /** Against a fake the caller started and closes (tests). */
  static ExampleEnvironment forFake(FakeTpnsServer fake) {
    return new ExampleEnvironment(clientFor(fake), fake, false);
  }

  private static TpnsClient clientFor(FakeTpnsServer fake) {
    return fake.clientBuilder().build();
  }

  private static boolean isSet(String s) {
    return s != null && !s.trim().isEmpty();
  }

  @Override
  public void close() {
    client.close();
    if (fake != null && ownsFake) {
      fake.close();
    }
  }
}
