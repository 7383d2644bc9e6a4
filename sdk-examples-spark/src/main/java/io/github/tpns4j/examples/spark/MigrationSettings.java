package io.github.tpns4j.examples.spark;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsClient;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * What every task needs to reach TPNS, shipped to the executors with the job's tasks. The secret
 * comes from the driver's environment, never from the command line; {@link #toString()} masks it.
 * On a cluster, turn on Spark's RPC authentication and encryption ({@code spark.authenticate},
 * {@code spark.network.crypto.enabled}) so that tasks travel encrypted.
 */
final class MigrationSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  final String accessId;
  final String secretKey;
  final String baseUrl; // null: the region's
  final String region; // null: the default
  final Operation operation;
  final int callsPerTask;

  MigrationSettings(
      String accessId,
      String secretKey,
      String baseUrl,
      String region,
      Operation operation,
      int callsPerTask) {
    this.accessId = Objects.requireNonNull(accessId, "accessId");
    this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    this.baseUrl = baseUrl;
    this.region = region;
    this.operation = operation;
    this.callsPerTask = callsPerTask;
  }

  /** The key under which an executor JVM shares one client: everything but the per-task part. */
  String clientKey() {
    return accessId + "|" + baseUrl + "|" + region + "|" + secretKey.hashCode();
  }

  TpnsClient newClient() {
    TpnsClient.Builder b = TpnsClient.builder().accessId(accessId).secretKey(secretKey);
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    } else if (region != null) {
      b.region(Region.valueOf(region.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "MigrationSettings{accessId="
        + accessId
        + ", secretKey=******, baseUrl="
        + baseUrl
        + ", region="
        + region
        + ", operation="
        + operation
        + ", callsPerTask="
        + callsPerTask
        + "}";
  }
}
