package io.github.tpns4j.examples;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.time.Duration;
import java.util.Locale;

/**
 * The client the examples use: real TPNS when {@code TPNS_ACCESS_ID} and {@code TPNS_SECRET_KEY}
 * are set (with {@code TPNS_REGION} or {@code TPNS_BASE_URL}). The in-process fake server from
 * tpns4j-testing only when the user asked for a demo (no input given): a run over real input
 * without credentials fails before it starts, naming the missing variable, instead of silently
 * binding the input in a fake.
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

  /** The environment cannot serve the run: what is missing, and what to do. */
  static final class MissingCredentials extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingCredentials(String message) {
      super(message);
    }
  }

  /** For a demo: real TPNS with credentials, otherwise the fake (said on the first line). */
  static ExampleEnvironment fromEnv(Duration fakeLatency) {
    return fromEnv(fakeLatency, false);
  }

  /**
   * @param realInput true when the user gave input of their own: then credentials are required
   * @throws MissingCredentials when real input comes without credentials, or TPNS_REGION is wrong
   */
  static ExampleEnvironment fromEnv(Duration fakeLatency, boolean realInput) {
    return fromEnv(System::getenv, fakeLatency, realInput);
  }

  static ExampleEnvironment fromEnv(
      java.util.function.UnaryOperator<String> env, Duration fakeLatency, boolean realInput) {
    String accessId = env.apply("TPNS_ACCESS_ID");
    String secretKey = env.apply("TPNS_SECRET_KEY");
    if (realInput && !(isSet(accessId) && isSet(secretKey))) {
      throw new MissingCredentials(
          (isSet(accessId)
                  ? "TPNS_SECRET_KEY"
                  : isSet(secretKey) ? "TPNS_ACCESS_ID" : "TPNS_ACCESS_ID and TPNS_SECRET_KEY")
              + " not set: this run has input of your own, so it needs real TPNS. Set them (and"
              + " TPNS_REGION or TPNS_BASE_URL), or run without input for the demo against the"
              + " built-in fake server. Nothing was sent");
    }
    if (isSet(accessId) && isSet(secretKey)) {
      TpnsClient.Builder b = TpnsClient.builder().accessId(accessId).secretKey(secretKey);
      String baseUrl = env.apply("TPNS_BASE_URL");
      String region = env.apply("TPNS_REGION");
      if (isSet(baseUrl)) {
        b.baseUrl(baseUrl);
      } else if (isSet(region)) {
        try {
          b.region(Region.valueOf(region.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
          throw new MissingCredentials(
              "TPNS_REGION="
                  + region
                  + " is not one of "
                  + java.util.Arrays.toString(Region.values()));
        }
      }
      TpnsClient client = b.build();
      System.out.println("Using real TPNS: " + client);
      return new ExampleEnvironment(client, null, true);
    }
    FakeTpnsServer fake = FakeTpnsServer.start();
    fake.setLatency(fakeLatency);
    System.out.println(
        "DEMO against the in-process fake TPNS server (TPNS_ACCESS_ID/TPNS_SECRET_KEY not set) at "
            + fake.baseUrl()
            + " (latency "
            + fakeLatency.toMillis()
            + " ms)");
    return new ExampleEnvironment(clientFor(fake), fake, true);
  }

  /** Always the in-process fake, whatever the environment holds: for made-up input. */
  static ExampleEnvironment demo(Duration fakeLatency) {
    FakeTpnsServer fake = FakeTpnsServer.start();
    fake.setLatency(fakeLatency);
    System.out.println("DEMO against the in-process fake TPNS server at " + fake.baseUrl());
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
