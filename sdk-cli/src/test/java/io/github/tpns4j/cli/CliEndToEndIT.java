package io.github.tpns4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's way, with the jar this build made: {@code ./tpns4j fake} in one shell, then {@code
 * tpns4j import}, {@code export} and {@code reconcile} in another, and every next step they print
 * pasted into a shell in a third directory, as it is.
 */
class CliEndToEndIT {
  private static final Path LAUNCHER =
      Paths.get(System.getProperty("tpns4j.launcher", "../tpns4j")).toAbsolutePath().normalize();

  private Process fake;
  private BufferedReader fakeOut;

  /** What a shell command printed, and its exit code. */
  record Shell(int code, String out) {
    /** The commands printed to paste: lines that start with the launcher. */
    List<String> nextSteps() {
      List<String> steps = new ArrayList<>();
      for (String line : out.split("\n")) {
        String t = line.trim();
        if (t.startsWith(LAUNCHER.toString() + " ") || t.startsWith("tpns4j ")) {
          steps.add(t);
        }
      }
      return steps;
    }
  }

  /** Runs {@code script} with sh in {@code dir}, the fake's export line pasted first. */
  private static Shell sh(Path dir, String exportLine, String script) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", (exportLine == null ? "" : exportLine + "\n") + script)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("TPNS_ACCESS_ID");
    pb.environment().remove("TPNS_SECRET_KEY");
    pb.environment().remove("TPNS_CREDENTIALS");
    Process p = pb.start();
    CompletableFuture<String> out = readAll(p);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(script).isTrue();
    return new Shell(p.exitValue(), out.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> readAll(Process p) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /** Starts {@code tpns4j fake ARGS} in {@code dir}; returns the export line it prints. */
  private String startFake(Path dir, String args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh", "-c", "exec " + NextStep.quote(LAUNCHER.toString()) + " fake " + args)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    fake = pb.start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
    fakeOut = r;
    CompletableFuture<String> export =
        CompletableFuture.supplyAsync(
            () -> {
              StringBuilder seen = new StringBuilder();
              try {
                String line;
                while ((line = r.readLine()) != null) {
                  seen.append(line).append('\n');
                  if (line.trim().startsWith("export TPNS_CREDENTIALS=")) {
                    return line.trim();
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              throw new AssertionError("the fake printed no export line:\n" + seen);
            });
    return export.get(60, TimeUnit.SECONDS);
  }

  /** Stops the fake as Ctrl-C would (SIGTERM: the same shutdown); returns what it printed last. */
  private String stopFake() throws Exception {
    fake.toHandle().destroy(); // SIGTERM, keeping its output readable (Process.destroy closes it)
    assertThat(fake.waitFor(30, TimeUnit.SECONDS)).isTrue();
    StringBuilder rest = new StringBuilder();
    String line;
    while ((line = fakeOut.readLine()) != null) {
      rest.append(line).append('\n');
    }
    fake = null;
    return rest.toString();
  }

  @AfterEach
  void killFake() {
    if (fake != null) {
      fake.destroyForcibly();
    }
  }

  @Test
  void theReadmeWayAndEveryPrintedStepPastedFromAnotherDirectory(@TempDir Path root)
      throws Exception {
    Path fakeDir = Files.createDirectories(root.resolve("fake shell"));
    Path work = Files.createDirectories(root.resolve("it's a $HOME `dir`"));
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Path saved = fakeDir.resolve("bindings.csv");
    String export = startFake(fakeDir, "--port 0 --bindings " + NextStep.quote(saved.toString()));

    // import: messy rows; one rejected row, fixed in place, imported as printed
    Files.writeString(
        work.resolve("users.csv"),
        "token,account,account_type\r\nt1,alice,1\r\nt2,bob,\r\nt3,carol,1,EXTRA\r\nt1,alice2,1\r\n");
    Shell imported =
        sh(
            work,
            export,
            "tpns4j() { "
                + NextStep.quote(LAUNCHER.toString())
                + " \"$@\"; }\n"
                + "tpns4j import users.csv --out-dir out");
    assertThat(imported.code()).as(imported.out()).isEqualTo(1);
    assertThat(imported.out()).contains("4 rows read, 1 rejected, 3 bound");
    List<String> steps = imported.nextSteps();
    assertThat(steps).hasSize(1);
    Path rejected = work.resolve("out/rejected-rows.csv");
    Files.writeString(
        rejected, Files.readString(rejected).replace("t3,carol,1,EXTRA", "t3,carol,1"));
    Shell fixed = sh(elsewhere, export, steps.get(0));
    assertThat(fixed.code()).as(fixed.out()).isZero();
    assertThat(fixed.out()).contains("1 bound").contains("Renamed to rejected-rows.csv.done");

    // export: what TPNS holds for the accounts
    Files.writeString(
        work.resolve("accounts.csv"), "account,account_type\nalice2,1\nbob,\nnobody,5\n");
    Shell exported =
        sh(
            work,
            export,
            NextStep.quote(LAUNCHER.toString()) + " export --accounts accounts.csv --out-dir out");
    assertThat(exported.code()).as(exported.out()).isZero();
    assertThat(Cli.dataRows(work.resolve("out/bindings.csv")))
        .containsExactlyInAnyOrder("t1,alice2,1", "t2,bob,0");
    assertThat(Cli.dataRows(work.resolve("out/no-binding-accounts.csv")))
        .containsExactly("nobody,5");

    // reconcile: a dry run, its two imports pasted, then its check
    Files.writeString(work.resolve("wanted.csv"), "t1,alice2,1\nt4,alice2,1\n");
    Shell planned =
        sh(
            work,
            export,
            NextStep.quote(LAUNCHER.toString()) + " reconcile wanted.csv --out-dir plans");
    assertThat(planned.code()).as(planned.out()).isEqualTo(1);
    List<String> planSteps = planned.nextSteps();
    assertThat(planSteps).hasSize(2); // the import of to-bind.csv, and plan-and-apply in one go
    Shell applied = sh(elsewhere, export, planSteps.get(0));
    assertThat(applied.code()).as(applied.out()).isZero();
    Shell again = sh(elsewhere, export, planSteps.get(1));
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).contains("0 bindings to add, 0 to remove");
    List<String> check = again.nextSteps();
    assertThat(check).hasSize(1);
    Shell checked = sh(elsewhere, export, check.get(0));
    assertThat(checked.code()).as(checked.out()).isZero();
    assertThat(checked.out()).contains("nothing to do");

    // query, bind and unbind, as an on-call engineer types them
    Shell bound =
        sh(
            elsewhere,
            export,
            NextStep.quote(LAUNCHER.toString())
                + " bind t9 "
                + NextStep.quote("Zoe O'Brien")
                + " --type 2");
    assertThat(bound.code()).as(bound.out()).isZero();
    Shell queried = sh(elsewhere, export, bound.nextSteps().get(0));
    assertThat(queried.out()).contains("t9,Zoe O'Brien,2");
    Shell unbound =
        sh(
            elsewhere,
            export,
            NextStep.quote(LAUNCHER.toString())
                + " unbind t9 "
                + NextStep.quote("Zoe O'Brien")
                + " --type 2");
    assertThat(unbound.code()).as(unbound.out()).isZero();

    // stopped as Ctrl-C stops it, the fake saves its bindings; started again, it has them
    assertThat(stopFake()).contains("Saved 4 bindings");
    assertThat(Cli.dataRows(saved))
        .containsExactlyInAnyOrder("t1,alice2,1", "t2,bob,0", "t3,carol,1", "t4,alice2,1");
    String export2 = startFake(fakeDir, "--port 0 --bindings " + NextStep.quote(saved.toString()));
    Shell after =
        sh(
            elsewhere,
            export2,
            NextStep.quote(LAUNCHER.toString()) + " query --account alice2 --type 1");
    assertThat(after.code()).as(after.out()).isZero();
    assertThat(after.out()).contains("t1,alice2,1").contains("t4,alice2,1");
  }

  @Test
  void withTheLauncherOnThePathThePrintedStepsSayTpns4j(@TempDir Path root) throws Exception {
    Path fakeDir = Files.createDirectories(root.resolve("f"));
    String export = startFake(fakeDir, "--port 0");
    Files.writeString(root.resolve("users.csv"), "t1,alice\nbroken\n");
    Shell run =
        sh(
            root,
            export,
            "PATH="
                + NextStep.quote(LAUNCHER.getParent().toString())
                + ":$PATH\n"
                + "tpns4j import users.csv");
    assertThat(run.code()).as(run.out()).isEqualTo(1);
    assertThat(run.nextSteps()).singleElement().asString().startsWith("tpns4j import ");
    Shell help = sh(root, null, NextStep.quote(LAUNCHER.toString()) + " --help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains("import")
        .contains("export")
        .contains("reconcile")
        .contains("fake");
    Shell bad = sh(root, null, NextStep.quote(LAUNCHER.toString()) + " import --concurrency x");
    assertThat(bad.code()).isEqualTo(2);
    Shell noCredentials = sh(root, null, NextStep.quote(LAUNCHER.toString()) + " import users.csv");
    assertThat(noCredentials.code()).isEqualTo(2);
    assertThat(noCredentials.out()).contains("tpns4j fake").contains("Nothing was sent");
  }
}
