package io.github.tpns4j;

import com.sun.net.httpserver.HttpServer;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs 1 000 000 lazily generated tokens through bulkOperate against a loopback stub that answers
 * at once, in whatever heap the JVM was given (BulkMemoryTest gives it -Xmx64m), and prints what it
 * saw. The argument says how the stub answers: {@code ok} (every item succeeds), {@code fail10}
 * (two items of every call of 20 fail: 10 %), {@code outage} (HTTP 500 to every call). Exit code 0
 * only when the run ended as it should for that mode.
 */
public final class BulkMemoryCheck {
  static final int ITEMS = Integer.getInteger("items", 1_000_000);

  private static final byte[] OK =
      "{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[\"0\"]}"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] TWO_OF_TWENTY_FAIL = twoOfTwentyFail();

  private static byte[] twoOfTwentyFail() {
    StringBuilder s =
        new StringBuilder("{\"ret_code\":1008026,\"err_msg\":\"partly\",\"result\":[");
    for (int i = 0; i < 20; i++) {
      s.append(i == 0 ? "" : ",").append(i % 10 == 0 ? "\"1008006\"" : "\"0\"");
    }
    return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ok";
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          int tokens;
          try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            tokens = body.split("\"token\"", -1).length - 1;
          }
          byte[] answer =
              mode.equals("outage")
                  ? "down".getBytes(StandardCharsets.UTF_8)
                  : mode.equals("fail10") && tokens == 20 ? TWO_OF_TWENTY_FAIL : OK;
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(mode.equals("outage") ? 500 : 200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    AtomicLong read = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    Iterable<TokenAccounts> lazy =
        () ->
            new Iterator<TokenAccounts>() {
              @Override
              public boolean hasNext() {
                return read.get() < ITEMS;
              }

              @Override
              public TokenAccounts next() {
                long i = read.getAndIncrement();
                return TokenAccounts.of("token-" + i, Account.of("user-" + i, 1005));
              }
            };
    long start = System.nanoTime();
    BulkResult result;
    long stoppedAt = -1;
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try (TpnsClient client =
        TpnsClient.builder()
            .accessId("1500001048")
            .secretKey("secret")
            .baseUrl(url)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build()) {
      try {
        result =
            client.bulkOperate(
                BulkRequest.overwrite(lazy)
                    .concurrency(8)
                    .onProgress(
                        (items, calls) ->
                            maxAhead.accumulateAndGet(read.get() - items, Math::max)));
      } catch (TpnsBulkStoppedException stop) {
        result = stop.partialResult();
        stoppedAt = stop.inputIndex();
      }
    } finally {
      server.stop(0);
      pool.shutdownNow();
    }
    long seconds = Math.max(1, (System.nanoTime() - start) / 1_000_000_000L);
    long peakHeap = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peakHeap += p.getPeakUsage().getUsed();
      }
    }
    System.out.println(
        "items="
            + result.itemsSucceeded()
            + " calls="
            + result.calls()
            + " failures="
            + result.failures().size()
            + " stoppedAt="
            + stoppedAt
            + " maxReadAhead="
            + maxAhead.get()
            + " maxHeap="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + "MiB peakHeapPoolsSum="
            + peakHeap / (1024 * 1024)
            + "MiB seconds="
            + seconds);
    boolean ok;
    switch (mode) {
      case "outage":
        // stopped after 16 whole-call failures in a row (plus those in flight), resumable
        ok =
            stoppedAt > 0
                && stoppedAt <= 40 * 20
                && result.failures().size() == stoppedAt
                && result.itemsSucceeded() == 0;
        break;
      case "fail10":
        ok =
            stoppedAt == -1
                && result.itemsSucceeded() == ITEMS - ITEMS / 10
                && result.failures().size() == ITEMS / 10
                && result.calls() == ITEMS / 20;
        break;
      default:
        ok =
            stoppedAt == -1
                && result.itemsSucceeded() == ITEMS
                && result.calls() == ITEMS / 20
                && result.isAllSuccess()
                // the calls handed out (on the wire and ready) and the chunk being read
                && maxAhead.get() <= (BulkFlow.inFlightMax(8) + 1) * 20;
    }
    System.exit(ok ? 0 : 1);
  }
}
