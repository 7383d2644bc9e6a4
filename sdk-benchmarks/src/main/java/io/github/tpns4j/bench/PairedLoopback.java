package io.github.tpns4j.bench;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Loopback throughput, paired: the raw-OkHttp floor and the SDK variants run the same number of
 * calls in alternating batches against one server in this JVM, sending the same headers (the
 * floor's {@code Sign} built once), so that each batch of the SDK has a floor batch next to it. The
 * ratio of a pair is floor time / SDK time; medians and quartiles over the pairs are reported, with
 * client CPU per call (the benchmark threads' CPU time).
 */
final class PairedLoopback {
  private static final String ACCESS_ID = "1500001048";
  private static final String SECRET = "1452fcebae9f3115ba794fb0fff2fd73";

  interface Call {
    void run() throws Exception;
  }

  private PairedLoopback() {}

  static void run(int batches, int callsPerBatch) throws Exception {
    List<TokenAccounts> entries = BenchmarkSuite.twentyTokens();
    try (LoopbackServer server = new LoopbackServer(8, 0)) {
      OkHttpClient plain = new OkHttpClient();
      byte[] body =
          BatchOperateRequest.overwrite(entries).toJson().getBytes(StandardCharsets.UTF_8);
      Request prebuilt =
          new Request.Builder()
              .url(server.baseUrl() + "v3/device/account/batchoperate")
              .post(RequestBody.create(body, MediaType.get("application/json")))
              .header("User-Agent", "tpns4j/0.1.0")
              .header("AccessId", ACCESS_ID)
              .header("TimeStamp", Long.toString(System.currentTimeMillis() / 1000))
              .header(
                  "Sign",
                  "Y2QyMDc3NDY4MmJmNzhiZmRiNDNlMTdkMWQ1ZDU2YjNlNWI3ODlhMTY3MGZjMTUyN2VmNTRjNjVkMmQ3Yjc2ZA==")
              .build();
      Call floor =
          () -> {
            try (Response r = plain.newCall(prebuilt).execute()) {
              if (r.body().bytes().length == 0) {
                throw new AssertionError();
              }
            }
          };
      TpnsEventListener counting =
          new TpnsEventListener() {
            long attempts;

            @Override
            public void attemptEnded(AttemptEnded event) {
              attempts++;
            }
          };
      try (TpnsClient defaults = client(server, null, null);
          TpnsClient withCallTimeout = client(server, Duration.ofSeconds(30), null);
          TpnsClient withListener = client(server, null, counting)) {
        Call sdk = sdkCall(defaults, entries);
        Call sdkCallTimeout = sdkCall(withCallTimeout, entries);
        Call sdkListener = sdkCall(withListener, entries);
        String[] names = {
          "(a) raw OkHttp, request prebuilt (floor)",
          "(b) TpnsClient, default builder",
          "(c) TpnsClient, callTimeout 30 s",
          "(d) TpnsClient, an event listener set"
        };
        Call[] calls = {floor, sdk, sdkCallTimeout, sdkListener};
        System.out.println();
        System.out.println(
            "## Loopback throughput, paired: "
                + batches
                + " alternating batches of "
                + callsPerBatch
                + " calls (20-token overwrite; (b), (c) build, validate, serialize, sign and parse"
                + " on every call)");
        System.out.printf(
            "%-8s %-42s %10s %12s %24s%n",
            "threads", "client", "calls/s", "CPU us/call", "ratio to (a): median [q1-q3]");
        for (int threads : new int[] {1, 4}) {
          for (Call c : calls) {
            batch(c, threads, callsPerBatch); // warm-up
            batch(c, threads, callsPerBatch);
          }
          double[][] seconds = new double[calls.length][batches];
          double[][] cpu = new double[calls.length][batches];
          for (int b = 0; b < batches; b++) {
            for (int k = 0; k < calls.length; k++) {
              int c = b % 2 == 0 ? k : calls.length - 1 - k; // alternate the order
              double[] m = batch(calls[c], threads, callsPerBatch);
              seconds[c][b] = m[0];
              cpu[c][b] = m[1];
            }
          }
          for (int c = 0; c < calls.length; c++) {
            double[] ratio = new double[batches];
            for (int b = 0; b < batches; b++) {
              ratio[b] = seconds[0][b] / seconds[c][b];
            }
            double[] q = quartiles(ratio);
            System.out.printf(
                Locale.ROOT,
                "%-8d %-42s %10.0f %12.1f %24s%n",
                threads,
                names[c],
                callsPerBatch / quartiles(seconds[c])[1],
                quartiles(cpu[c])[1],
                c == 0
                    ? "1.000"
                    : String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", q[1], q[0], q[2]));
          }
        }
      }
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  private static TpnsClient client(
      LoopbackServer server, Duration callTimeout, TpnsEventListener listener) {
    TpnsClient.Builder b =
        TpnsClient.builder()
            .accessId(ACCESS_ID)
            .secretKey(SECRET)
            .baseUrl(server.baseUrl())
            .eventListener(listener);
    if (callTimeout != null) {
      b.callTimeout(callTimeout);
    }
    return b.build();
  }

  private static Call sdkCall(TpnsClient client, List<TokenAccounts> entries) {
    return () -> {
      BatchOperateResult r = client.batchOperate(BatchOperateRequest.overwrite(entries));
      if (!r.isAllSuccess()) {
        throw new AssertionError(r);
      }
    };
  }

  /** {@code calls} calls over {@code threads} threads: wall seconds, and CPU us per call. */
  static double[] batch(Call call, int threads, int calls) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[threads];
    Throwable[] failure = new Throwable[1];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      int n = calls / threads;
      workers[t] =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  long c0 = mx.getCurrentThreadCpuTime();
                  for (int i = 0; i < n; i++) {
                    call.run();
                  }
                  cpu[id] = mx.getCurrentThreadCpuTime() - c0;
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      workers[t].start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure[0] != null) {
      throw new IllegalStateException("benchmark call failed", failure[0]);
    }
    long cpuTotal = 0;
    for (long c : cpu) {
      cpuTotal += c;
    }
    return new double[] {elapsed / 1e9, cpuTotal / 1e3 / calls};
  }

  static double[] quartiles(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return new double[] {v[v.length / 4], v[v.length / 2], v[(3 * v.length) / 4]};
  }
}
