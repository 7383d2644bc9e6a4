package io.github.tpns4j.testing;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import java.util.Iterator;

/**
 * A bulk of 1 000 000 tokens against an in-process fake, in whatever heap the JVM has
 * (FakeMemoryTest gives it 64 MiB). Prints the outcome; exit code 0 when every item succeeded.
 */
public final class FakeMemoryCheck {
  public static void main(String[] args) {
    int items = 1_000_000;
    BulkResult r;
    try (FakeTpnsServer tpns = FakeTpnsServer.start();
        TpnsClient client = tpns.clientBuilder().build()) {
      Iterable<String> tokens =
          () ->
              new Iterator<String>() {
                int i;

                @Override
                public boolean hasNext() {
                  return i < items;
                }

                @Override
                public String next() {
                  return "token-" + i++;
                }
              };
      r = client.bulkOperate(BulkRequest.deleteAllForTokens(tokens).concurrency(8));
      System.out.println(
          "items="
              + r.itemsSucceeded()
              + " calls="
              + r.calls()
              + " requests="
              + tpns.requestCount());
    }
    System.exit(r.itemsSucceeded() == items && r.isAllSuccess() ? 0 : 1);
  }
}
