package io.github.tpns4j.cli;

import io.github.tpns4j.ResultCode;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;

/** What {@code bind} and {@code unbind} print after their one call. */
final class WriteOutcome {
  private WriteOutcome() {}

  static int print(
      Tpns4j cli, Connection.Options o, BatchOperateResult r, String done, String token) {
    if (r.isAllSuccess()) {
      cli.out.println(done + ".");
      cli.out.println("TPNS applies writes asynchronously (usually within seconds). Check with:");
      cli.out.println(
          "  "
              + (token != null
                  ? NextStep.tpns4j(withCredentials(o, "query", "--token", token))
                  : NextStep.tpns4j("query", "--help")));
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
