package io.github.tpns4j.cli;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.cli.csv.Csv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What TPNS holds for a few tokens or accounts, now. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Prints what TPNS holds now for up to 20 tokens (their accounts) or accounts (their tokens),"
          + " as token,account,account_type CSV; a key with no binding as a # comment line.",
      "Exit codes: 0 answered; 1 TPNS answered with an error for a key; 2 could not run."
    })
final class QueryCommand implements Callable<Integer> {
  @ParentCommand Tpns4j cli;

  static final class Keys {
    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        required = true,
        split = ",",
        description = "Tokens whose accounts to print.")
    List<String> tokens;

    @Option(
        names = "--account",
        paramLabel = "ACCOUNT",
        required = true,
        description = "Accounts whose tokens to print (repeat the option for several).")
    List<String> accounts;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Keys keys;

  @Option(
      names = "--type",
      paramLabel = "N",
      defaultValue = "0",
      description = "The accounts' account_type (default ${DEFAULT-VALUE}).")
  int type;

  @Mixin Connection.Options credentials;

  @Override
  public Integer call() {
    try (Connection c = Connection.open(credentials, cli.env)) {
      int failed = 0;
      cli.err.println(c.where);
      if (keys.tokens != null) {
        AccountQueryResult r =
            c.client.queryAccounts(AccountQueryRequest.accountsOfTokens(keys.tokens));
        cli.out.println("token,account,account_type");
        for (int i = 0; i < keys.tokens.size(); i++) {
          String token = keys.tokens.get(i);
          List<Account> accounts = r.accountsByToken().get(token);
          if (accounts == null) {
            failed++;
            cli.out.println("# " + token + ": not answered: " + r.items().get(i));
          } else if (accounts.isEmpty()) {
            cli.out.println("# " + token + ": no binding");
          }
          for (Account a : accounts == null ? new ArrayList<Account>() : accounts) {
            cli.out.println(
                Csv.line(
                    Arrays.asList(
                        token,
                        a.account(),
                        a.accountType() == null ? "0" : a.accountType().toString())));
          }
        }
      } else {
        List<Account> accounts = new ArrayList<>();
        for (String a : keys.accounts) {
          accounts.add(Account.of(a, type));
        }
        AccountQueryResult r =
            c.client.queryAccounts(AccountQueryRequest.tokensOfAccounts(accounts));
        cli.out.println("token,account,account_type");
        for (int i = 0; i < accounts.size(); i++) {
          Account a = accounts.get(i);
          List<String> tokens = r.tokensByAccount().get(a.account());
          if (tokens == null) {
            failed++;
            cli.out.println("# " + a.account() + ": not answered: " + r.items().get(i));
          } else if (tokens.isEmpty()) {
            cli.out.println("# " + a.account() + " (type " + type + "): no binding");
          }
          for (String t : tokens == null ? new ArrayList<String>() : tokens) {
            cli.out.println(Csv.line(Arrays.asList(t, a.account(), Integer.toString(type))));
          }
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }
}
