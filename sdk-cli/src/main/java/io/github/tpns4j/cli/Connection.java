package io.github.tpns4j.cli;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The client a command uses: real TPNS (or a {@code tpns4j fake}) from credentials, or, for a demo
 * only, an in-process fake. A command over input of the user's own never falls back to a fake: it
 * fails before it starts, naming what is missing.
 */
final class Connection implements AutoCloseable {
  /** Where the credentials come from: the option, or the environment. */
  static final class Options {
    @Option(
        names = "--credentials",
        paramLabel = "FILE",
        description =
            "A properties file with access-id, secret-key, and region or base-url (what"
                + " `tpns4j fake` writes). Default: TPNS_CREDENTIALS, else TPNS_ACCESS_ID,"
                + " TPNS_SECRET_KEY, TPNS_REGION, TPNS_BASE_URL from the environment.")
    Path credentials;

    /** For a printed command: {@code --credentials FILE} (absolute) when the user gave one. */
    void addTo(java.util.List<String> args) {
      if (credentials != null) {
        args.add("--credentials");
        args.add(credentials.toAbsolutePath().normalize().toString());
      }
    }
  }

  final TpnsClient client;
  final FakeTpnsServer demoFake; // the in-process fake of a demo; null otherwise
  final String where; // for the first line: "real TPNS at ...", "the fake at ..."

  private Connection(TpnsClient client, FakeTpnsServer demoFake, String where) {
    this.client = client;
    this.demoFake = demoFake;
    this.where = where;
  }

  /** A demo: always the in-process fake, whatever the environment holds. */
  static Connection demo(Duration latency) {
    FakeTpnsServer fake = FakeTpnsServer.start();
    fake.setLatency(latency);
    return new Connection(
        fake.clientBuilder().build(),
        fake,
        "DEMO: made-up rows against an in-process fake TPNS at " + fake.baseUrl());
  }

  /**
   * Real TPNS, or whatever the credentials point at.
   *
   * @throws Tpns4j.Failure when credentials are missing or wrong; nothing was sent
   */
  static Connection open(Options options, UnaryOperator<String> env) {
    String accessId;
    String secretKey;
    String region;
    String baseUrl;
    Path file = options == null ? null : options.credentials;
    String fromEnv = env.apply("TPNS_CREDENTIALS");
    if (file == null && isSet(fromEnv)) {
      file = Paths.get(fromEnv.trim());
    }
    String source;
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new Tpns4j.Failure(
            "cannot read the credentials file " + file.toAbsolutePath() + ": " + e);
      }
      accessId = p.getProperty("access-id");
      secretKey = p.getProperty("secret-key");
      region = p.getProperty("region");
      baseUrl = p.getProperty("base-url");
      source = "the credentials file " + file.toAbsolutePath();
      if (!isSet(accessId) || !isSet(secretKey)) {
        throw new Tpns4j.Failure(
            source
                + " has no "
                + (isSet(accessId) ? "secret-key" : "access-id")
                + "; nothing was sent");
      }
    } else {
      accessId = env.apply("TPNS_ACCESS_ID");
      secretKey = env.apply("TPNS_SECRET_KEY");
      region = env.apply("TPNS_REGION");
      baseUrl = env.apply("TPNS_BASE_URL");
      source = "the environment";
      if (!isSet(accessId) || !isSet(secretKey)) {
        throw new Tpns4j.Failure(
            (isSet(accessId)
                    ? "TPNS_SECRET_KEY is"
                    : isSet(secretKey)
                        ? "TPNS_ACCESS_ID is"
                        : "TPNS_ACCESS_ID and TPNS_SECRET_KEY are")
                + " not set: give credentials with --credentials FILE, TPNS_CREDENTIALS, or"
                + " TPNS_ACCESS_ID and TPNS_SECRET_KEY (and TPNS_REGION or TPNS_BASE_URL). To try"
                + " the tools without TPNS, start `tpns4j fake` in another terminal and do what it"
                + " prints. Nothing was sent");
      }
    }
    TpnsClient.Builder b =
        TpnsClient.builder().accessId(accessId.trim()).secretKey(secretKey.trim());
    if (isSet(baseUrl)) {
      b.baseUrl(baseUrl.trim());
    } else if (isSet(region)) {
      try {
        b.region(Region.valueOf(region.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new Tpns4j.Failure(
            "region "
                + region
                + " (from "
                + source
                + ") is not one of "
                + Arrays.toString(Region.values()));
      }
    }
    TpnsClient client;
    try {
      client = b.build();
    } catch (RuntimeException e) {
      throw new Tpns4j.Failure(
          "the credentials from " + source + " are not usable: " + e.getMessage());
    }
    return new Connection(client, null, "TPNS: " + client + " (credentials from " + source + ")");
  }

  private static boolean isSet(String s) {
    return s != null && !s.trim().isEmpty();
  }

  @Override
  public void close() {
    client.close();
    if (demoFake != null) {
      demoFake.close();
    }
  }
}
