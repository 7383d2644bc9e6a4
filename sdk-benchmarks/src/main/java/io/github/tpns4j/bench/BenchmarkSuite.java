package io.github.tpns4j.bench;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountType;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
 *   <li>loopback throughput: the same call through plain OkHttp with a pre-built body and headers
 *       (the floor) and through {@code TpnsClient.batchOperate}, alternating in rounds, with 1 and
 *       4 client threads; requests/s, client CPU per request, and the ratio;
 *   <li>bulk: 100 000 tokens against a server with 20 ms latency at concurrency 16, against the
 *       ideal (calls / concurrency x latency).
 * </ol>
 *
 * <p>Arguments: {@code --quick} for shorter runs; {@code --only jmh|loopback|bulk}; {@code
 * --floor-configured} to make the floor an OkHttp client configured as TpnsClient configures its
 * own (call timeout, no retry, no redirects), which separates OkHttp's cost from the SDK's.
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
      jmh(quick);
    }
    if (only.equals("all") || only.equals("loopback")) {
      loopback(quick, a.contains("--floor-configured"));
    }
    if (only.equals("all") || only.equals("bulk")) {
      bulk(quick);
    }
  }

  // ---- 1. JMH

  static void jmh(boolean quick) throws Exception {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include("io.github.tpns4j.ClientWorkBenchmark")
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
    System.out.println(
        "## Client-side work of one 20-token overwrite call (JMH, avg time, 1 fork)");
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

  static List<TokenAccounts> twentyTokens() {
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

  /** What one benchmark thread does per request. */
  interface Call {
    void run() throws Exception;
  }

  static void loopback(boolean quick, boolean configuredFloor) throws Exception {
    // Short rounds, alternating: this machine is shared, and its noise drifts over seconds.
    int rounds = quick ? 7 : 9;
    long roundMillis = quick ? 400 : 450;
    List<TokenAccounts> entries = twentyTokens();
    try (LoopbackServer server = new LoopbackServer(8, 0)) {
      // (a) the floor: plain OkHttp, body and headers built once
      OkHttpClient plain = new OkHttpClient();
      byte[] body =
          BatchOperateRequest.overwrite(entries).toJson().getBytes(StandardCharsets.UTF_8);
      long ts = System.currentTimeMillis() / 1000;
      Request prebuilt =
          new Request.Builder()
              .url(server.baseUrl() + "v3/device/account/batchoperate")
              .post(RequestBody.create(body, MediaType.get("application/json")))
              .header("AccessId", ACCESS_ID)
              .header("TimeStamp", Long.toString(ts))
              .header("Sign", Base64.getEncoder().encodeToString(new byte[64]))
              .build();
      Call plainFloor =
          () -> {
            try (Response r = plain.newCall(prebuilt).execute()) {
              if (r.body().bytes().length == 0) {
                throw new AssertionError();
              }
            }
          };
      Call floor = plainFloor;
      OkHttpClient configured =
          plain
              .newBuilder()
              .callTimeout(java.time.Duration.ofSeconds(30))
              .retryOnConnectionFailure(false)
              .followRedirects(false)
              .build();
      Call floorConfigured =
          () -> {
            try (Response r = configured.newCall(prebuilt).execute()) {
              if (r.body().bytes().length == 0) {
                throw new AssertionError();
              }
            }
          };
      if (configuredFloor) {
        floor = floorConfigured; // attribute the difference: OkHttp settings vs SDK work
      }
      // (b) the SDK: request built, validated, serialized, signed and parsed on every call
      try (TpnsClient client =
              TpnsClient.builder()
                  .accessId(ACCESS_ID)
                  .secretKey(SECRET)
                  .baseUrl(server.baseUrl())
                  .build();
          TpnsClient noCallTimeout =
              TpnsClient.builder()
                  .accessId(ACCESS_ID)
                  .secretKey(SECRET)
                  .baseUrl(server.baseUrl())
                  .callTimeout(java.time.Duration.ZERO)
                  .build()) {
        Call sdk =
            () -> {
              BatchOperateResult r = client.batchOperate(BatchOperateRequest.overwrite(entries));
              if (!r.isAllSuccess()) {
                throw new AssertionError(r);
              }
            };
        BatchOperateRequest reused = BatchOperateRequest.overwrite(entries);
        Call sdkReused =
            () -> {
              BatchOperateResult r = client.batchOperate(reused);
              if (!r.isAllSuccess()) {
                throw new AssertionError(r);
              }
            };
        Call sdkNoCallTimeout =
            () -> {
              BatchOperateResult r =
                  noCallTimeout.batchOperate(BatchOperateRequest.overwrite(entries));
              if (!r.isAllSuccess()) {
                throw new AssertionError(r);
              }
            };
        System.out.println();
        System.out.println(
            "## Loopback throughput, 20-token overwrite ("
                + rounds
                + " rounds of "
                + roundMillis
                + " ms, (a), (b) and (b') alternating; medians)");
        System.out.println(
            "(a) "
                + (configuredFloor
                    ? "OkHttp configured like TpnsClient's"
                    : "a default OkHttpClient")
                + "; (b) builds, validates and serializes the request on every call; (b') reuses one;"
                + " (b\") is (b) without the default 30 s call timeout (OkHttp's watchdog thread)");
        System.out.printf(
            "%-8s %-30s %12s %18s %10s%n",
            "threads", "client", "requests/s", "client CPU us/req", "ratio");
        for (int threads : new int[] {1, 4}) {
          // warm all paths up
          measure(floor, threads, 1000);
          measure(sdk, threads, 1000);
          measure(sdkReused, threads, 1000);
          measure(sdkNoCallTimeout, threads, 1000);
          Call[] calls = {floor, sdk, sdkReused, sdkNoCallTimeout};
          double[][] rps = new double[calls.length][rounds];
          double[][] cpu = new double[calls.length][rounds];
          double[][] ratio = new double[calls.length - 1][rounds];
          for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < calls.length; c++) {
              double[] m = measure(calls[c], threads, roundMillis);
              rps[c][r] = m[0];
              cpu[c][r] = m[1];
            }
            for (int c = 1; c < calls.length; c++) {
              ratio[c - 1][r] = rps[c][r] / rps[0][r];
            }
          }
          String[] names = {
            "(a) plain OkHttp (floor)",
            "(b) TpnsClient.batchOperate",
            "(b') same, request reused",
            "(b\") (b) with callTimeout 0"
          };
          for (int c = 0; c < calls.length; c++) {
            System.out.printf(
                Locale.ROOT,
                "%-8d %-30s %12.0f %18.1f %10s%n",
                threads,
                names[c],
                median(rps[c]),
                median(cpu[c]),
                c == 0 ? "1.000" : String.format(Locale.ROOT, "%.3f", median(ratio[c - 1])));
          }
          System.out.printf(
              Locale.ROOT, "         per-round ratios (b)/(a): %s%n", format(ratio[0]));
        }
      }
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  /**
   * Runs {@code call} on {@code threads} threads for {@code millis}; returns requests/s and CPU us
   * per request.
   */
  static double[] measure(Call call, int threads, long millis) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicBoolean stop = new AtomicBoolean();
    long[] counts = new long[threads];
    long[] cpu = new long[threads];
    Throwable[] failure = new Throwable[1];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  long c0 = mx.getCurrentThreadCpuTime();
                  long n = 0;
                  while (!stop.get()) {
                    call.run();
                    n++;
                  }
                  cpu[id] = mx.getCurrentThreadCpuTime() - c0;
                  counts[id] = n;
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      workers[t].start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(millis); // the measured interval itself
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure[0] != null) {
      throw new IllegalStateException("benchmark call failed", failure[0]);
    }
    long total = 0;
    long cpuTotal = 0;
    for (int t = 0; t < threads; t++) {
      total += counts[t];
      cpuTotal += cpu[t];
    }
    return new double[] {total / (elapsed / 1e9), cpuTotal / 1e3 / Math.max(1, total)};
  }

  // ---- 3. bulk

  static void bulk(boolean quick) throws Exception {
    int tokens = quick ? 20_000 : 100_000;
    int concurrency = 16;
    long latency = 20;
    int calls = tokens / 20;
    double ideal = (double) calls / concurrency * latency / 1000.0;
    System.out.println();
    System.out.println(
        "## Bulk: "
            + tokens
            + " tokens, server latency "
            + latency
            + " ms, concurrency "
            + concurrency);
    try (LoopbackServer server = new LoopbackServer(64, latency);
        TpnsClient client =
            TpnsClient.builder()
                .accessId(ACCESS_ID)
                .secretKey(SECRET)
                .baseUrl(server.baseUrl())
                .build()) {
      // warm-up
      client.bulkOperate(BulkRequest.overwrite(lazy(2_000)).concurrency(concurrency));
      double[] seconds = new double[3];
      for (int run = 0; run < seconds.length; run++) {
        long start = System.nanoTime();
        BulkResult r =
            client.bulkOperate(BulkRequest.overwrite(lazy(tokens)).concurrency(concurrency));
        seconds[run] = (System.nanoTime() - start) / 1e9;
        if (r.itemsSucceeded() != tokens || r.calls() != calls) {
          throw new AssertionError(r);
        }
      }
      double median = median(seconds);
      System.out.printf(
          Locale.ROOT,
          "runs: %s s; median %.2f s; ideal %.2f s (%d calls / %d x %d ms); ratio %.3f%n",
          format(seconds),
          median,
          ideal,
          calls,
          concurrency,
          latency,
          median / ideal);
    }
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
