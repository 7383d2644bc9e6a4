package io.github.tpns4j.cli;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;

/** What {@code bind} and {@code unbind} print after their one call. */
final class WriteOutcome {
  private WriteOutcome() {}

  static int print(
      Tpns4j cli, Connection.Options o, BatchOperateResult r, String done, String token) {
    return print(cli, o, r, done, token, null);
  }

  /**
   * @param check the query to check with, when not {@code query --token TOKEN}
   */
  static int print(
      Tpns4j cli,
      Connection.Options o,
      BatchOperateResult r,
      String done,
      String token,
      String[] check) {
    if (r.isAllSuccess()) {
      cli.out.println(done + ".");
      cli.out.println("TPNS applies writes asynchronously (usually within seconds). Check with:");
      cli.out.println(
          "  "
              + NextStep.tpns4j(
                  withCredentials(
                      o, check != null ? check : new String[] {"query", "--token", token})));
      return 0;
    }
    for (ItemResult item : r.failures()) {
      cli.out.println(
          "TPNS refused it for "
              + item.key()
              + ": "
              + item.code()
              + " ("
              + ResultCode.of(item.code())
              + "): "
              + ImportCommand.meaning(item.code()));
    }
    return 1;
  }

  private static String[] withCredentials(Connection.Options o, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.Arrays.asList(args));
    if (o != null) {
      o.addTo(all);
    }
    return all.toArray(new String[0]);
  }
}
