package io.github.tpns4j.bench;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import okhttp3.HttpUrl;
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
 * client CPU per call (the benchmark threads' CPU time). Two more baselines run in the same
 * rotation: (e) the floor signing each request, and (f) a hand-rolled client doing the work every
 * client must (jackson-core JSON, signing, parsing the answer); the SDK is also reported against
 * (f), pair by pair.
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
      // The work any client must do on top of the floor, done by hand with the same libraries:
      // (e) sign each call (a new Request on the parsed URL and the floor's body, nothing else);
      // (f) also write the request JSON with jackson-core's generator and parse the answer with
      // its parser. They bound what a ratio to (a) can reach.
      HandRolled hand = new HandRolled(SECRET);
      HttpUrl url = HttpUrl.get(server.baseUrl() + "v3/device/account/batchoperate");
      RequestBody prebuiltBody = RequestBody.create(body, HandRolled.JSON);
      Call floorSigned =
          () -> {
            try (Response r =
                plain.newCall(hand.request(url, ACCESS_ID, body, prebuiltBody)).execute()) {
              if (r.body().bytes().length == 0) {
                throw new AssertionError();
              }
            }
          };
      Call handRolled =
          () -> {
            byte[] json = hand.json(entries);
            RequestBody b = RequestBody.create(json, HandRolled.JSON);
            try (Response r = plain.newCall(hand.request(url, ACCESS_ID, json, b)).execute()) {
              if (hand.retCode(r.body().bytes()) != 0) {
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
          "(d) TpnsClient, an event listener set",
          "(e) raw OkHttp, request signed per call",
          "(f) raw OkHttp, hand-rolled: JSON, sign, parse"
        };
        Call[] calls = {floor, sdk, sdkCallTimeout, sdkListener, floorSigned, handRolled};
        System.out.println();
        System.out.println(
            "## Loopback throughput, paired: "
                + batches
                + " alternating batches of "
                + callsPerBatch
                + " calls (20-token overwrite; (b), (c) build, validate, serialize, sign and parse"
                + " on every call)");
        System.out.printf(
            "%-8s %-46s %10s %12s %10s %24s %24s%n",
            "threads",
            "client",
            "calls/s",
            "CPU us/call",
            "B/call",
            "to (a): median [q1-q3]",
            "to (f): median [q1-q3]");
        for (int threads : new int[] {1, 4}) {
          for (Call c : calls) {
            batch(c, threads, callsPerBatch); // warm-up
            batch(c, threads, callsPerBatch);
          }
          double[][] seconds = new double[calls.length][batches];
          double[][] cpu = new double[calls.length][batches];
          double[][] bytes = new double[calls.length][batches];
          for (int b = 0; b < batches; b++) {
            for (int k = 0; k < calls.length; k++) {
              int c = b % 2 == 0 ? k : calls.length - 1 - k; // alternate the order
              double[] m = batch(calls[c], threads, callsPerBatch);
              seconds[c][b] = m[0];
              cpu[c][b] = m[1];
              bytes[c][b] = m[2];
            }
          }
          int handRolledIndex = calls.length - 1;
          for (int c = 0; c < calls.length; c++) {
            System.out.printf(
                Locale.ROOT,
                "%-8d %-46s %10.0f %12.1f %10.0f %24s %24s%n",
                threads,
                names[c],
                callsPerBatch / quartiles(seconds[c])[1],
                quartiles(cpu[c])[1],
                quartiles(bytes[c])[1],
                ratio(seconds, 0, c),
                c == 1 || c == 2 || c == 3 ? ratio(seconds, handRolledIndex, c) : "");
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

  /** Time of {@code base} / time of {@code c}, per pair: median [quartiles]. */
  private static String ratio(double[][] seconds, int base, int c) {
    if (c == base) {
      return "1.000";
    }
    double[] ratio = new double[seconds[c].length];
    for (int b = 0; b < ratio.length; b++) {
      ratio[b] = seconds[base][b] / seconds[c][b];
    }
    double[] q = quartiles(ratio);
    return String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", q[1], q[0], q[2]);
  }

  /**
   * {@code calls} calls over {@code threads} threads: wall seconds, CPU us per call and bytes
   * allocated per call (on the calling threads; OkHttp's and the server's threads not counted).
   */
  static double[] batch(Call call, int threads, int calls) throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] cpu = new long[threads];
    long[] allocated = new long[threads];
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
                  long a0 = mx.getCurrentThreadAllocatedBytes();
                  for (int i = 0; i < n; i++) {
                    call.run();
                  }
                  cpu[id] = mx.getCurrentThreadCpuTime() - c0;
                  allocated[id] = mx.getCurrentThreadAllocatedBytes() - a0;
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
    long allocatedTotal = 0;
    for (int t = 0; t < threads; t++) {
      cpuTotal += cpu[t];
      allocatedTotal += allocated[t];
    }
    return new double[] {elapsed / 1e9, cpuTotal / 1e3 / calls, (double) allocatedTotal / calls};
  }

  static double[] quartiles(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return new double[] {v[v.length / 4], v[v.length / 2], v[(3 * v.length) / 4]};
  }
}
