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
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs 1 000 000 lazily generated tokens through bulkOperate against a loopback stub that answers
 * at once, in whatever heap the JVM was given (BulkMemoryTest gives it -Xmx64m), and prints what it
 * saw. Exit code 0 only when every item succeeded.
 */
public final class BulkMemoryCheck {
  static final int ITEMS = Integer.getInteger("items", 1_000_000);

  public static void main(String[] args) throws Exception {
    byte[] answer =
        "{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[\"0\"]}"
            .getBytes(StandardCharsets.UTF_8);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
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
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try (TpnsClient client =
        TpnsClient.builder().accessId("1500001048").secretKey("secret").baseUrl(url).build()) {
      result =
          client.bulkOperate(
              BulkRequest.overwrite(lazy)
                  .concurrency(8)
                  .onProgress(
                      (items, calls) -> maxAhead.accumulateAndGet(read.get() - items, Math::max)));
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
            + " maxReadAhead="
            + maxAhead.get()
            + " maxHeap="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + "MiB peakHeapPoolsSum="
            + peakHeap / (1024 * 1024)
            + "MiB seconds="
            + seconds);
    boolean ok =
        result.itemsSucceeded() == ITEMS
            && result.calls() == ITEMS / 20
            && result.isAllSuccess()
            && maxAhead.get() <= 9 * 20;
    System.exit(ok ? 0 : 1);
  }
}
