package io.github.tpns4j.cli;

import io.github.tpns4j.TpnsException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tpns4j}, the command line: bind, unbind and look up TPNS account bindings one at a time or
 * by the million, bring TPNS in step with what the app wants, and run a fake TPNS to try it all on.
 * Exit codes: 0 done, 1 done with rows or keys left (in the files printed), 2 could not run.
 */
@Command(
    name = "tpns4j",
    mixinStandardHelpOptions = true,
    versionProvider = Tpns4j.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "TPNS account bindings from the command line.",
      "Credentials: --credentials FILE, or TPNS_CREDENTIALS (a file), or TPNS_ACCESS_ID and"
          + " TPNS_SECRET_KEY (with TPNS_REGION or TPNS_BASE_URL) in the environment.",
      "Exit codes: 0 done; 1 done, with rows or keys left in the files printed; 2 could not run."
    },
    subcommands = {
      ImportCommand.class,
      ExportCommand.class,
      ReconcileCommand.class,
      QueryCommand.class,
      BindCommand.class,
      UnbindCommand.class,
      FakeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Tpns4j implements Runnable {
  /** Where the commands print their outcome; a test's stream in tests. */
  final PrintStream out;

  /** Where errors and usage go (stderr), so that {@code query > file.csv} keeps them apart. */
  final PrintStream err;

  /** The environment (credentials); a test's map in tests. */
  final UnaryOperator<String> env;

  Tpns4j(PrintStream out, PrintStream err, UnaryOperator<String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    int code = execute(System.out, System.err, System::getenv, args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code. */
  static int execute(PrintStream out, PrintStream err, UnaryOperator<String> env, String... args) {
    CommandLine cli = new CommandLine(new Tpns4j(out, err, env));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          String name = commandLine.getCommandName();
          out.flush();
          if (e instanceof Failure) {
            err.println(name + ": " + e.getMessage());
          } else if (e instanceof TpnsException) {
            // a call that failed: its message says what happened and what to do
            err.println(name + ": " + e.getMessage());
          } else if (e instanceof UncheckedIOException || e instanceof IOException) {
            err.println(
                name
                    + ": could not read or write a file: "
                    + (e.getCause() != null ? e.getCause() : e)
                    + ". What was sent before this is done in TPNS; running the same command"
                    + " again is safe (binds and unbinds are idempotent).");
          } else {
            err.println(name + ": stopped by an unexpected error: " + e);
          }
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  /** {@code --concurrency} is 1 to 64, as the bulk engine takes it. */
  static void checkConcurrency(int n) {
    if (n < 1 || n > io.github.tpns4j.account.BulkRequest.MAX_CONCURRENCY) {
      throw new Failure(
          "--concurrency is "
              + n
              + "; it takes 1 to "
              + io.github.tpns4j.account.BulkRequest.MAX_CONCURRENCY);
    }
  }

  /** The run cannot go on: one line for the user, exit code 2. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Tpns4j.class.getPackage().getImplementationVersion();
      return new String[] {"tpns4j " + (v == null ? "(development build)" : v)};
    }
  }
}
