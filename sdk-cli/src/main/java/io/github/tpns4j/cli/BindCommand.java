package io.github.tpns4j.cli;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Binds one account to one token. */
@Command(
    name = "bind",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Binds ACCOUNT to TOKEN, replacing the token's account of the same account_type, if any"
          + " (an overwrite, as TPNS runs every bind).",
      "Exit codes: 0 done; 1 TPNS refused it; 2 could not run."
    })
final class BindCommand implements Callable<Integer> {
  @ParentCommand Tpns4j cli;

  @Parameters(index = "0", paramLabel = "TOKEN")
  String token;

  @Parameters(index = "1", paramLabel = "ACCOUNT")
  String account;

  @Option(
      names = "--type",
      paramLabel = "N",
      defaultValue = "0",
      description = "The account_type (default ${DEFAULT-VALUE}).")
  int type;

  @Mixin Connection.Options credentials;

  @Override
  public Integer call() {
    TokenAccounts row = TokenAccounts.of(token, Account.of(account, type));
    try (Connection c = Connection.open(credentials, cli.env)) {
      cli.out.println(c.where);
      BatchOperateResult r = c.client.batchOperate(BatchOperateRequest.overwrite(row));
      return WriteOutcome.print(
          cli, credentials, r, "Bound " + account + " (type " + type + ") to " + token, token);
    }
  }
}
