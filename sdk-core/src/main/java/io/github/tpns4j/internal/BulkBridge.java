package io.github.tpns4j.internal;

import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;

/**
 * Not API. Lets {@code TpnsClient} (package {@code io.github.tpns4j}) run a {@link BulkRequest}
 * whose engine is package-private beside it in {@code io.github.tpns4j.account}. The account
 * package installs the one implementation when {@code BulkRequest} is initialized; it never
 * changes after that.
 */
public abstract class BulkBridge {
  private static volatile BulkBridge instance;

  /** Called once by {@code BulkRequest}'s static initializer; later calls are ignored. */
  public static synchronized void install(BulkBridge bridge) {
    if (instance == null) {
      instance = bridge;
    }
  }

  /** The engine; a caller holds a {@code BulkRequest}, so its class, and the engine, are initialized. */
  public static BulkBridge get() {
    BulkBridge b = instance;
    if (b == null) {
      throw new IllegalStateException("BulkRequest is not initialized");
    }
    return b;
  }

  /** Runs the request to the end; see {@code TpnsClient.bulkOperate}. */
  public abstract BulkResult run(BulkRequest request, BulkTransport transport);
}
