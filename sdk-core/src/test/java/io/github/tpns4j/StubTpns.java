package io.github.tpns4j;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that answers batch operations from their content: one code per key
 * from {@code codeFor} (null means success), or a whole-call answer from {@code callAnswer}.
 */
final class StubTpns extends Dispatcher {
  final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger peak = new AtomicInteger();
  volatile Function<String, String> codeFor = key -> null;
  volatile Function<List<String>, MockResponse> callAnswer = keys -> null;
  volatile long latencyMillis;
  volatile java.util.function.Consumer<List<String>> onCall = keys -> {};

  /**
   * For queries: what is bound to each key (tokens of an account, account names of a token); null
   * when TPNS does not know the key, answered {@code "10110008"}. {@link #codeFor} overrides.
   */
  volatile Function<String, List<String>> boundTo = key -> null;

  /**
   * Answers every call {@code millis} late but the call holding {@code fast}, and returns a latch
   * counted down when the call holding {@code watched} arrives.
   */
  java.util.concurrent.CountDownLatch slowExceptTheCallOf(
      String fast, long millis, String watched) {
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    onCall =
        keys -> {
          if (keys.contains(watched)) {
            arrived.countDown();
          }
          if (!keys.contains(fast)) {
            try {
              Thread.sleep(millis); // the server's latency for every other call
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    return arrived;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      JsonNode body = Fixtures.tree(request.getBody().readUtf8());
      List<String> keys = keys(body);
      calls.add(keys);
      onCall.accept(keys);
      long end = System.nanoTime() + latencyMillis * 1_000_000L;
      while (latencyMillis > 0 && System.nanoTime() < end) {
        Thread.sleep(Math.min(latencyMillis, 20)); // the server's latency; cut short when reset
      }
      MockResponse whole = callAnswer.apply(keys);
      if (whole != null) {
        return whole;
      }
      if (request.getPath().endsWith("/query")) {
        return query(body.has("account_list"), keys);
      }
      StringBuilder result = new StringBuilder();
      int failed = 0;
      for (String key : keys) {
        String code = codeFor.apply(key);
        if (code == null) {
          code = "0";
        } else {
          failed++;
        }
        result.append(result.length() == 0 ? "" : ",").append('"').append(code).append('"');
      }
      int ret = failed == 0 ? 0 : failed == keys.size() ? 1008027 : 1008026;
      return new MockResponse()
          .setBody("{\"ret_code\":" + ret + ",\"err_msg\":\"x\",\"result\":[" + result + "]}");
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private MockResponse query(boolean byAccount, List<String> keys) {
    StringBuilder result = new StringBuilder();
    StringBuilder entries = new StringBuilder();
    for (String key : keys) {
      String code = codeFor.apply(key);
      List<String> bound = boundTo.apply(key);
      if (code == null) {
        code = bound == null ? "10110008" : "0";
      }
      result.append(result.length() == 0 ? "" : ",").append('"').append(code).append('"');
      if (bound == null || !"0".equals(code)) {
        continue;
      }
      StringBuilder list = new StringBuilder();
      for (String b : bound) {
        list.append(list.length() == 0 ? "" : ",")
            .append(byAccount ? "\"" + b + "\"" : "{\"account\":\"" + b + "\",\"account_type\":0}");
      }
      entries
          .append(entries.length() == 0 ? "" : ",")
          .append(
              byAccount
                  ? "{\"account\":\"" + key + "\",\"token_list\":[" + list + "]}"
                  : "{\"token\":\"" + key + "\",\"account_list\":[" + list + "]}");
    }
    return new MockResponse()
        .setBody(
            "{\"retCode\":0,\"errMsg\":\"ok\",\"result\":["
                + result
                + "],\""
                + (byAccount ? "account_tokens" : "token_accounts")
                + "\":["
                + entries
                + "]}");
  }

  static List<String> keys(JsonNode body) {
    List<String> keys = new ArrayList<>();
    if (body.has("token_accounts")) {
      body.get("token_accounts").forEach(e -> keys.add(e.get("token").asText()));
    } else if (body.has("token_list")) {
      body.get("token_list").forEach(e -> keys.add(e.asText()));
    } else {
      body.get("account_list").forEach(e -> keys.add(e.get("account").asText()));
    }
    return keys;
  }
}
