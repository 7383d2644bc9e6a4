package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.BulkResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** bulkOperate: one write per token at a time, in input order, so the last row of a token wins. */
class BulkOrderTest extends MockServerFixture {
  /** Overwrites applied after 0-30 ms each, as they finish: calls that overlap race. */
  private static final class SlowWrites extends Dispatcher {
    final Map<String, String> accountOf = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger(); // a token in two calls at once
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      JsonNode body = Fixtures.tree(request.getBody().readUtf8());
      List<String> tokens = new ArrayList<>();
      body.get("token_accounts").forEach(e -> tokens.add(e.get("token").asText()));
      peak.accumulateAndGet(calls.incrementAndGet(), Math::max);
      for (String t : tokens) {
        if (inFlight.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(31));
      StringBuilder result = new StringBuilder();
      for (JsonNode e : body.get("token_accounts")) {
        String token = e.get("token").asText();
        accountOf.put(token, e.get("account_list").get(0).get("account").asText());
        inFlight.get(token).decrementAndGet();
        result.append(result.length() == 0 ? "\"0\"" : ",\"0\"");
      }
      calls.decrementAndGet();
      return new MockResponse()
          .setBody("{\"ret_code\":0,\"err_msg\":\"ok\",\"result\":[" + result + "]}");
    }
  }

  @Test
  void aFileMovingFiveHundredTokensEndsWithTheLaterAccountOnEveryToken() {
    SlowWrites tpns = new SlowWrites();
    server.setDispatcher(tpns);
    client = builder().build();
    // tokens 0-249: each moved 50 rows later; tokens 250-499: the two rows next to each other
    List<TokenAccounts> rows = new ArrayList<>();
    for (int block = 0; block < 250; block += 50) {
      for (int i = block; i < block + 50; i++) {
        rows.add(TokenAccounts.of("t-" + i, Account.of("old-" + i)));
      }
      for (int i = block; i < block + 50; i++) {
        rows.add(TokenAccounts.of("t-" + i, Account.of("new-" + i)));
      }
    }
    for (int i = 250; i < 500; i++) {
      rows.add(TokenAccounts.of("t-" + i, Account.of("old-" + i)));
      rows.add(TokenAccounts.of("t-" + i, Account.of("new-" + i)));
    }
    BulkResult r = client.bulkOperate(BulkRequest.overwrite(rows).concurrency(16));
    assertThat(r.isAllSuccess()).isTrue();
    assertThat(r.itemsSucceeded()).isEqualTo(1000);
    assertThat(tpns.peak.get()).as("calls overlapped").isGreaterThan(4);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      if (!("new-" + i).equals(tpns.accountOf.get("t-" + i))) {
        wrong.add("t-" + i + "=" + tpns.accountOf.get("t-" + i));
      }
    }
    assertThat(wrong).as(wrong.size() + " tokens left on the earlier account").isEmpty();
    assertThat(tpns.overlaps.get()).as("no token in two calls at once").isZero();
  }

  @Test
  void deleteAllForAccountsSendsOneAccountAtATime() {
    StubTpns stub = new StubTpns();
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    stub.latencyMillis = 5;
    stub.onCall =
        keys -> {
          for (String k : keys) {
            if (inFlight.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
          }
        };
    stub.codeFor =
        key -> {
          inFlight.get(key).decrementAndGet();
          return null;
        };
    server.setDispatcher(stub);
    client = builder().build();
    List<Account> accounts = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 40; i++) {
        accounts.add(Account.of("user-" + i, 0));
      }
    }
    BulkResult r = client.bulkOperate(BulkRequest.deleteAllForAccounts(accounts).concurrency(8));
    assertThat(r.itemsSucceeded()).isEqualTo(200);
    assertThat(overlaps.get()).isZero();
    assertThat(stub.peak.get()).isGreaterThan(1);
  }
}
