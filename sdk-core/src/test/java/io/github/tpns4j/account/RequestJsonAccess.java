package io.github.tpns4j.account;

import java.util.List;

/**
 * The request JSON writer that sdk-benchmarks compares with a hand-written one, reached through
 * sdk-core's test-jar: a test-scoped fixture, never part of tpns4j-core.
 */
public final class RequestJsonAccess {
  private RequestJsonAccess() {}

  public static String tokenAccounts(int operatorType, List<TokenAccounts> entries) {
    return RequestJson.tokenAccounts(operatorType, entries);
  }
}
