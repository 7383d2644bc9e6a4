package io.github.tpns4j.examples.spark;

import io.github.tpns4j.TpnsClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TpnsClient} per executor JVM (per settings), shared by every task that runs there: one
 * connection pool and dispatcher, built on first use and closed when the JVM ends. Tasks never
 * close it; Spark reuses executor JVMs across tasks and stages.
 */
final class ExecutorClients {
  private static final Map<String, TpnsClient> CLIENTS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> CLIENTS.values().forEach(TpnsClient::close), "tpns4j-clients-close"));
  }

  private ExecutorClients() {}

  static TpnsClient get(MigrationSettings settings) {
    return CLIENTS.computeIfAbsent(settings.clientKey(), k -> settings.newClient());
  }

  /** Closes and forgets the clients of this JVM (a local run that ends, tests). */
  static void closeAll() {
    CLIENTS.values().forEach(TpnsClient::close);
    CLIENTS.clear();
  }
}
