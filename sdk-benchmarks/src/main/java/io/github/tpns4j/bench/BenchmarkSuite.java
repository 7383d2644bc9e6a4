package io.github.tpns4j.bench;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountType;
import io.github.tpns4j.account.BulkQueryHandler;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the three benchmarks of the performance issue and prints one table:
 *
 * <ol>
 *   <li>JMH: the client-side work of one 20-token overwrite call (time and bytes allocated);
 *   <li>loopback throughput ({@link PairedLoopback}): the same call through plain OkHttp with a
 *       pre-built request (the floor) and through {@code TpnsClient.batchOperate}, in alternating
 *       batches of 2 000 calls, with 1 and 4 client threads; calls/s, client CPU per call, and the
 *       ratio per pair;
 *   <li>bulk: 40 000 tokens against a server with 20 ms latency at concurrency 16, in rotating
 *       batches with the floor (pre-built calls on blocking threads), the floor pre-built with
 *       {@code bulkQuery}'s own request, and a minimal bulk client: {@code bulkOperate}, then
 *       {@code bulkQuery} of 40 000 accounts (the tokens of each, handed to a handler that counts
 *       them); time against the ideal, client CPU and bytes per call.
 * </ol>
 *
 * <p>Arguments: {@code --quick} for shorter runs; {@code --only jmh|json|loopback|bulk} ({@code
 * json}: the request JSON writer against jackson-core's {@code JsonGenerator}); {@code --batches N}
 * for N loopback pairs instead of 31 (more pairs, a tighter median); {@code --calls N} for N calls
 * per loopback batch instead of 2 000 (longer batches: less scheduling noise in each pair).
 */
public final class BenchmarkSuite {
  private static final String ACCESS_ID = "1500001048";
  private static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    boolean quick = a.contains("--quick");
    String only = a.contains("--only") ? a.get(a.indexOf("--only") + 1) : "all";
    System.out.println(
        "tpns4j benchmarks on "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + (quick ? " (quick)" : ""));
    if (only.equals("all") || only.equals("jmh")) {
      jmh(
          quick,
          "io.github.tpns4j.bench.ClientWorkBenchmark",
          "Client-side work of one 20-token overwrite call");
    }
    if (only.equals("all") || only.equals("json")) {
      jmh(
          quick,
          "io.github.tpns4j.bench.JsonWriterBenchmark",
          "Request JSON writers, the same validated 20-token overwrite");
    }
    if (only.equals("all") || only.equals("loopback")) {
      int batches =
          a.contains("--batches") ? Integer.parseInt(a.get(a.indexOf("--batches") + 1)) : 31;
      int calls = a.contains("--calls") ? Integer.parseInt(a.get(a.indexOf("--calls") + 1)) : 2_000;
      PairedLoopback.run(quick ? 11 : batches, calls);
    }
    if (only.equals("all") || only.equals("bulk")) {
      bulk(quick);
    }
  }

  // ---- 1. JMH

  static void jmh(boolean quick, String benchmark, String title) throws Exception {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(benchmark)
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 3 : 4)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgs("-Xms1g", "-Xmx1g")
            .addProfiler(GCProfiler.class)
            .shouldDoGC(true);
    Collection<RunResult> results = new Runner(o.build()).run();
    System.out.println();
    System.out.println("## " + title + " (JMH, avg time, 1 fork)");
    System.out.printf("%-26s %14s %14s%n", "benchmark", "ns/op", "B/op");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      double ns = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      double bytes =
          r.getSecondaryResults().get("·gc.alloc.rate.norm") != null
              ? r.getSecondaryResults().get("·gc.alloc.rate.norm").getScore()
              : r.getSecondaryResults().containsKey("gc.alloc.rate.norm")
                  ? r.getSecondaryResults().get("gc.alloc.rate.norm").getScore()
                  : Double.NaN;
      System.out.printf(Locale.ROOT, "%-26s %8.0f ± %-5.0f %12.0f%n", name, ns, err, bytes);
    }
  }

  // ---- 2. loopback throughput

  /** The 20 entries of every benchmark's overwrite: a 72-character token, an e-mail account. */
  public static List<TokenAccounts> twentyTokens() {
    List<TokenAccounts> entries = new ArrayList<>(20);
    for (int i = 0; i < 20; i++) {
      entries.add(
          TokenAccounts.of(
              "0"
                  + Integer.toHexString(0x3a5f0000 + i)
                  + "b8d1e2f30a4c5b6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3",
              Account.of("user-" + (100000 + i) + "@example.com", AccountType.EMAIL)));
    }
    return entries;
  }

  // ---- 3. bulk

  /** One client of the bulk comparison: its name, and one run of {@code items} items. */
  private interface BulkVariant {
    void run(int items) throws Exception;
  }

  /**
   * The bulk clients side by side in one JVM, in rotating batches: each round runs the floor, the
   * minimal bulk client, {@code bulkOperate}, {@code bulkQuery} and the floor with {@code
   * bulkQuery}'s request once each, the first of them moving by one each round, so that none always
   * runs on a warmer (or quieter) machine. A first round warms every client and is not counted.
   * Reported per client: the median over the rounds of its time against the ideal (calls /
   * concurrency x latency), client CPU and bytes per call; and the median [quartiles] of its CPU
   * per call over the floor's and the minimal client's in the same round.
   */
  static void bulk(boolean quick) throws Exception {
    int items = quick ? 20_000 : 40_000;
    int rounds = quick ? 4 : 12;
    int concurrency = 16;
    long latency = 20;
    int calls = items / 20;
    double ideal = (double) calls / concurrency * latency / 1000.0;
    try (LoopbackServer server = new LoopbackServer(64, latency);
        TpnsClient client =
            TpnsClient.builder()
                .accessId(ACCESS_ID)
                .secretKey(SECRET)
                .baseUrl(server.baseUrl())
                .build()) {
      long[] found = new long[1];
      BulkQueryHandler<Account, String> count = (account, tokens) -> found[0] += tokens.size();
      String[] names = {
        "floor: plain OkHttp, pre-built calls, " + concurrency + " blocking threads",
        "minimal bulk client: JSON, Sign, send, ret_code, " + concurrency + " blocking threads",
        "bulkOperate, overwrite of " + items + " tokens",
        "bulkQuery, tokens of " + items + " accounts",
        "floor with bulkQuery's request: the same body and headers, pre-built"
      };
      BulkVariant[] variants = {
        n -> floor(server, concurrency, n / 20),
        n -> minimal(server, concurrency, n),
        n -> {
          BulkResult r =
              client.bulkOperate(BulkRequest.overwrite(lazy(n)).concurrency(concurrency));
          if (r.itemsSucceeded() != n || r.calls() != n / 20) {
            throw new AssertionError(r);
          }
        },
        n -> {
          found[0] = 0;
          BulkQueryResult<Account, String> r =
              client.bulkQuery(
                  BulkQueryRequest.tokensOfAccounts(accounts(n)).concurrency(concurrency), count);
          if (r.keysAnswered() != n || found[0] != n || r.calls() != n / 20) {
            throw new AssertionError(r);
          }
        },
        n -> queryFloor(server, concurrency, n / 20)
      };
      System.out.println();
      System.out.println(
          "## Bulk, rotating batches: "
              + calls
              + " calls of 20 per batch, server latency "
              + latency
              + " ms, concurrency "
              + concurrency
              + ", "
              + (rounds - 1)
              + " rounds counted after one warm-up round");
      int v = variants.length;
      double[][] seconds = new double[v][rounds - 1];
      double[][] cpu = new double[v][rounds - 1];
      double[][] bytes = new double[v][rounds - 1];
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < v; k++) {
          int c = (k + round) % v;
          long[] before = clientThreads();
          long start = System.nanoTime();
          variants[c].run(items);
          long elapsed = System.nanoTime() - start;
          long[] after = clientThreads();
          if (round > 0) {
            seconds[c][round - 1] = elapsed / 1e9;
            cpu[c][round - 1] = (after[0] - before[0]) / 1e3 / calls;
            bytes[c][round - 1] = (double) (after[1] - before[1]) / calls;
          }
        }
      }
      for (int c = 0; c < v; c++) {
        System.out.printf(
            Locale.ROOT,
            "%-75s time/ideal %.3f; CPU %.1f us/call, %s the floor's, %s the minimal client's,"
                + " %s the floor with bulkQuery's request; allocated %.0f B/call%n",
            names[c],
            median(seconds[c]) / ideal,
            median(cpu[c]),
            ratios(cpu[c], cpu[0]),
            ratios(cpu[c], cpu[1]),
            ratios(cpu[c], cpu[4]),
            median(bytes[c]));
      }
    }
  }

  /** The median [quartiles] of {@code values[i] / base[i]}. */
  private static String ratios(double[] values, double[] base) {
    double[] ratio = new double[values.length];
    for (int i = 0; i < ratio.length; i++) {
      ratio[i] = values[i] / base[i];
    }
    double[] q = PairedLoopback.quartiles(ratio);
    return String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", median(ratio), q[0], q[2]);
  }

  /**
   * The practical floor of pipelining against this server: {@code concurrency} threads, each
   * sending pre-built requests one after another on one plain OkHttp client, {@code calls} in all.
   */
  private static void floor(LoopbackServer server, int concurrency, int calls) {
    prebuilt(
        new okhttp3.Request.Builder()
            .url(server.baseUrl() + "v3/device/account/query")
            .post(
                okhttp3.RequestBody.create(
                    "{\"operator_type\":1}", okhttp3.MediaType.get("application/json")))
            .build(),
        concurrency,
        calls);
  }

  /** {@code calls} of one pre-built request on {@code concurrency} blocking threads. */
  private static void prebuilt(okhttp3.Request request, int concurrency, int calls) {
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(calls);
    onThreads(
        concurrency,
        http -> {
          while (left.getAndDecrement() > 0) {
            try (okhttp3.Response r = http.newCall(request).execute()) {
              r.body().bytes();
            }
          }
        });
  }

  /**
   * The floor again, with the request {@code bulkQuery} sends (the 20 accounts of {@link
   * #accounts}, signed, with the same headers), built once: what moving a real query costs, without
   * making it.
   */
  private static void queryFloor(LoopbackServer server, int concurrency, int calls)
      throws java.io.IOException {
    List<Account> twenty = new ArrayList<>(20);
    accounts(20).forEach(twenty::add);
    byte[] body =
        io.github.tpns4j.account.AccountQueryRequest.tokensOfAccounts(twenty)
            .toJson()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    okhttp3.Request request =
        new HandRolled(SECRET)
            .request(
                okhttp3.HttpUrl.get(server.baseUrl() + "v3/device/account/query"),
                ACCESS_ID,
                body,
                okhttp3.RequestBody.create(body, HandRolled.JSON));
    prebuilt(request, concurrency, calls);
  }

  /** What each thread of a client does, on the client's one OkHttp client. */
  private interface ClientThread {
    void run(okhttp3.OkHttpClient http) throws java.io.IOException;
  }

  /**
   * Runs {@code work} on {@code concurrency} threads sharing one plain OkHttp client, until each
   * returns; each thread's CPU and allocation are added to the totals before it ends.
   */
  private static void onThreads(int concurrency, ClientThread work) {
    okhttp3.OkHttpClient http =
        new okhttp3.OkHttpClient.Builder()
            .connectionPool(new okhttp3.ConnectionPool(concurrency, 5, TimeUnit.MINUTES))
            .build();
    Thread[] threads = new Thread[concurrency];
    for (int t = 0; t < concurrency; t++) {
      threads[t] =
          new Thread(
              () -> {
                try {
                  work.run(http);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                ended(); // this thread is gone before the run's totals are taken
              });
      threads[t].start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /**
   * The minimal client of a bulk run: {@code concurrency} threads, each taking the next 20 items of
   * one shared input, writing their overwrite JSON, signing it and sending it, and reading the
   * answer's {@code ret_code}: the work any client must do per call ({@link HandRolled}), with no
   * validation, retries, order per token, accounting or progress.
   */
  private static void minimal(LoopbackServer server, int concurrency, int items) {
    HandRolled client = new HandRolled(SECRET);
    okhttp3.HttpUrl url = okhttp3.HttpUrl.get(server.baseUrl() + "v3/device/account/batchoperate");
    Iterator<TokenAccounts> input = lazy(items).iterator();
    onThreads(
        concurrency,
        http -> {
          java.util.List<TokenAccounts> chunk = new java.util.ArrayList<>(20);
          while (true) {
            chunk.clear();
            synchronized (input) {
              while (chunk.size() < 20 && input.hasNext()) {
                chunk.add(input.next());
              }
            }
            if (chunk.isEmpty()) {
              return;
            }
            byte[] body = client.json(chunk);
            okhttp3.Request request =
                client.request(
                    url, ACCESS_ID, body, okhttp3.RequestBody.create(body, HandRolled.JSON));
            try (okhttp3.Response r = http.newCall(request).execute()) {
              if (client.retCode(r.body().bytes()) != 0) {
                throw new AssertionError("ret_code != 0");
              }
            }
          }
        });
  }

  private static final java.util.concurrent.atomic.AtomicLong ENDED_CPU =
      new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong ENDED_BYTES =
      new java.util.concurrent.atomic.AtomicLong();

  /** Adds the calling thread's CPU time and allocation to the totals, just before it ends. */
  private static void ended() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    ENDED_CPU.addAndGet(mx.getCurrentThreadCpuTime());
    ENDED_BYTES.addAndGet(mx.getCurrentThreadAllocatedBytes());
  }

  /**
   * CPU nanoseconds and bytes allocated so far by the live threads that are not the loopback
   * server's (its workers and the JDK server's dispatcher), plus what the floor's threads used
   * before they ended. OkHttp's threads live on between runs, so differences are per run.
   */
  private static long[] clientThreads() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = 0;
    long bytes = 0;
    for (java.lang.management.ThreadInfo t : mx.dumpAllThreads(false, false)) {
      String name = t.getThreadName();
      if (name.startsWith("loopback-server") || name.startsWith("HTTP-Dispatcher")) {
        continue;
      }
      long c = mx.getThreadCpuTime(t.getThreadId());
      long b = mx.getThreadAllocatedBytes(t.getThreadId());
      cpu += Math.max(0, c);
      bytes += Math.max(0, b);
    }
    return new long[] {cpu + ENDED_CPU.get(), bytes + ENDED_BYTES.get()};
  }

  /** {@code user-0@example.com} .. {@code user-19@example.com} over and over, {@code n} in all. */
  static Iterable<Account> accounts(int n) {
    return () ->
        new Iterator<Account>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          public Account next() {
            return Account.of("user-" + (i++ % 20) + "@example.com", AccountType.EMAIL);
          }
        };
  }

  static Iterable<TokenAccounts> lazy(int n) {
    Supplier<Iterator<TokenAccounts>> s =
        () ->
            new Iterator<TokenAccounts>() {
              int i;

              @Override
              public boolean hasNext() {
                return i < n;
              }

              @Override
              public TokenAccounts next() {
                int k = i++;
                return TokenAccounts.of(
                    "token-" + k, Account.of("user-" + k + "@example.com", AccountType.EMAIL));
              }
            };
    return s::get;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String format(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return s.toString();
  }
}
