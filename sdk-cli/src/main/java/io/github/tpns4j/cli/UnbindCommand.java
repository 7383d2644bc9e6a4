package io.github.tpns4j.cli;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Unbinds one account from one token, or everything of one token or one account. */
@Command(
    name = "unbind",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "tpns4j unbind TOKEN ACCOUNT: removes ACCOUNT (of --type) from TOKEN; the token's other"
          + " accounts stay.",
      "tpns4j unbind --all-of-token TOKEN: removes every account of TOKEN.",
      "tpns4j unbind --all-of-account ACCOUNT: removes ACCOUNT (of --type) from every token.",
      "Exit codes: 0 done; 1 TPNS refused it; 2 could not run."
    })
final class UnbindCommand implements Callable<Integer> {
  @ParentCommand Tpns4j cli;

  @Parameters(arity = "0..2", paramLabel = "TOKEN ACCOUNT")
  java.util.List<String> tokenAndAccount;

  @Option(names = "--all-of-token", paramLabel = "TOKEN", description = "Every account of TOKEN.")
  String allOfToken;

  @Option(
      names = "--all-of-account",
      paramLabel = "ACCOUNT",
      description = "ACCOUNT (of --type) from every token.")
  String allOfAccount;

  @Option(
      names = "--type",
      paramLabel = "N",
      defaultValue = "0",
      description = "The account_type (default ${DEFAULT-VALUE}).")
  int type;

  @Mixin Connection.Options credentials;

  @Override
  public Integer call() {
    int given =
        (tokenAndAccount == null || tokenAndAccount.isEmpty() ? 0 : 1)
            + (allOfToken != null ? 1 : 0)
            + (allOfAccount != null ? 1 : 0);
    if (given != 1 || (tokenAndAccount != null && tokenAndAccount.size() == 1)) {
      throw new Tpns4j.Failure(
          "give TOKEN ACCOUNT, or --all-of-token TOKEN, or --all-of-account ACCOUNT (one of them);"
              + " see tpns4j unbind --help");
    }
    BatchOperateRequest request;
    String what;
    String token;
    if (allOfToken != null) {
      request = BatchOperateRequest.deleteAllForTokens(allOfToken);
      what = "Unbound every account of " + allOfToken;
      token = allOfToken;
    } else if (allOfAccount != null) {
      request = BatchOperateRequest.deleteAllForAccounts(Account.of(allOfAccount, type));
      what = "Unbound " + allOfAccount + " (type " + type + ") from every token";
      token = null;
    } else {
      token = tokenAndAccount.get(0);
      String account = tokenAndAccount.get(1);
      request =
          BatchOperateRequest.deleteAccounts(TokenAccounts.of(token, Account.of(account, type)));
      what = "Unbound " + account + " (type " + type + ") from " + token;
    }
    try (Connection c = Connection.open(credentials, cli.env)) {
      cli.out.println(c.where);
      if (tokenAndAccount != null) {
        // TPNS answers success for an account the token does not have: look first, and say so
        String account = tokenAndAccount.get(1);
        AccountQueryResult now =
            c.client.queryAccounts(AccountQueryRequest.accountsOfTokens(token));
        List<Account> held = now.accountsByToken().get(token);
        if (held != null && !held.contains(Account.of(account, type))) {
          cli.out.println(
              account
                  + " (type "
                  + type
                  + ") is not bound to "
                  + token
                  + (held.isEmpty()
                      ? ", which has no account"
                      : "; its accounts: " + describe(held))
                  + ". Nothing was sent (TPNS applies writes asynchronously: if it was bound a"
                  + " moment ago, try again in a minute).");
          return 1;
        }
      }
      BatchOperateResult r = c.client.batchOperate(request);
      return WriteOutcome.print(
          cli,
          credentials,
          r,
          what,
          token,
          allOfAccount != null
              ? new String[] {"query", "--account", allOfAccount, "--type", Integer.toString(type)}
              : null);
    }
  }

  static String describe(List<Account> accounts) {
    StringBuilder b = new StringBuilder();
    for (Account a : accounts) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(a.account())
          .append(" (type ")
          .append(a.accountType() == null ? 0 : a.accountType())
          .append(')');
    }
    return b.toString();
  }
}
