package io.github.tpns4j.internal;

import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;

/**
 * Not API. Lets {@code TpnsClient} (package {@code io.github.tpns4j}) reach what the account
 * package keeps package-private: the exact body bytes of a request (so they are encoded once, when
 * the request is made) and the bulk engine. The account package installs the one implementation
 * when any of its request classes is initialized; a caller holding a request has therefore
 * installed it, and it never changes after that.
 */
public abstract class AccountAccess {
  private static volatile AccountAccess instance;

  /**
   * Called by the account package's request classes when they are initialized; later calls are
   * ignored.
   */
  public static synchronized void install(AccountAccess access) {
    if (instance == null) {
      instance = access;
    }
  }

  /** The implementation; present once a request class was initialized. */
  public static AccountAccess get() {
    AccountAccess a = instance;
    if (a == null) {
      throw new IllegalStateException("io.github.tpns4j.account is not initialized");
    }
    return a;
  }

  /** The exact UTF-8 body of the request; callers must not modify it. */
  public abstract byte[] body(BatchOperateRequest request);

  /** The exact UTF-8 body of the query; callers must not modify it. */
  public abstract byte[] body(AccountQueryRequest request);

  /** Runs the request to the end; see {@code TpnsClient.bulkOperate}. */
  public abstract BulkResult runBulk(BulkRequest request, BulkTransport transport);
}
