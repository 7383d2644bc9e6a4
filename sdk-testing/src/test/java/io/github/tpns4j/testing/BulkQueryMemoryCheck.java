package io.github.tpns4j.testing;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkQueryResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of {@link BulkQueryMemoryTest}, in a JVM of its own: asks a running fake (URL and
 * credentials in the arguments) for the tokens of {@code user-0} .. {@code user-999999}, generated
 * lazily, checks every answer ({@code user-i} has {@code token-i}, but every tenth user has none),
 * and prints the counts and the peak heap. Exit code 0 only when every answer was right.
 *
 * <p>It prints its client's HTTP attempts and retries too ({@link AttemptCounter}): on a loaded
 * machine an attempt can time out and be retried, and the fake then sees more requests than calls.
 */
public final class BulkQueryMemoryCheck {
  static final int ACCOUNTS = 1_000_000;

  public static void main(String[] args) throws Exception {
    AtomicLong read = new AtomicLong();
    Iterable<Account> lazy =
        () ->
            new Iterator<Account>() {
              @Override
              public boolean hasNext() {
                return read.get() < ACCOUNTS;
              }

              @Override
              public Account next() {
                return Account.of("user-" + read.getAndIncrement(), 1005);
              }
            };
    AtomicLong wrong = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    AttemptCounter attempts = new AttemptCounter();
    long start = System.nanoTime();
    BulkQueryResult<Account, String> r;
    try (TpnsClient client =
        TpnsClient.builder()
            .accessId(args[1])
            .secretKey(args[2])
            .baseUrl(args[0])
            .eventListener(attempts)
            .build()) {
      r =
          client.bulkQuery(
              BulkQueryRequest.tokensOfAccounts(lazy)
                  .concurrency(8)
                  .onProgress(
                      (items, calls) -> maxAhead.accumulateAndGet(read.get() - items, Math::max)),
              (account, tokens) -> {
                long i = Long.parseLong(account.account().substring(5));
                boolean right =
                    i % 10 == 0
                        ? tokens.isEmpty()
                        : tokens.size() == 1 && tokens.get(0).equals("token-" + i);
                if (!right) {
                  wrong.incrementAndGet();
                }
              });
    }
    long peakHeap = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peakHeap += p.getPeakUsage().getUsed();
      }
    }
    System.out.println(
        "keysAnswered="
            + r.keysAnswered()
            + " keysWithoutBindings="
            + r.keysWithoutBindings()
            + " bindingsFound="
            + r.bindingsFound()
            + " calls="
            + r.calls()
            + " failures="
            + r.failures().size()
            + " wrongAnswers="
            + wrong.get()
            + " "
            + attempts
            + " maxReadAhead="
            + maxAhead.get()
            + " maxHeap="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + "MiB peakHeapPoolsSum="
            + peakHeap / (1024 * 1024)
            + "MiB seconds="
            + (System.nanoTime() - start) / 1_000_000_000L);
    // read ahead: the calls handed out (8 in progress, 8 ready beside them) and the chunk being
    // read
    System.exit(wrong.get() == 0 && r.isAllSuccess() && maxAhead.get() <= (2 * 8 + 1) * 20 ? 0 : 1);
  }
}
