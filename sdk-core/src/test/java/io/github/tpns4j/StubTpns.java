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
