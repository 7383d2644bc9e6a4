package io.github.tpns4j.account;

import io.github.tpns4j.internal.AccountAccess;
import io.github.tpns4j.internal.BulkTransport;

/** The account package's side of {@link AccountAccess}. */
final class Access extends AccountAccess {
  static {
    AccountAccess.install(new Access());
  }

  private Access() {}

  /**
   * Makes sure the implementation is installed; called from the request classes' static
   * initializers.
   */
  static void init() {
    // class initialization above does the work
  }

  @Override
  public byte[] body(BatchOperateRequest request) {
    return request.body;
  }

  @Override
  public byte[] body(AccountQueryRequest request) {
    return request.body;
  }

  @Override
  public BulkResult runBulk(BulkRequest request, BulkTransport transport) {
    return new BulkRun(request, transport).run();
  }
}
