package io.github.tpns4j.account;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsRateLimitException;
import java.io.IOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/** Real SDK exceptions, made the way users meet them: from a client talking to a stub. */
final class TestExceptions {
  private TestExceptions() {}

  static TpnsRateLimitException rateLimited() {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody("{\"ret_code\":1008028,\"err_msg\":\"too fast\"}"));
      server.start();
      try (TpnsClient client =
          TpnsClient.builder()
              .accessId("1")
              .secretKey("s")
              .maxRetries(0)
              .baseUrl(server.url("/").toString())
              .build()) {
        client.batchOperate(BatchOperateRequest.deleteAllForTokens("t"));
        throw new AssertionError("expected a rate limit");
      } catch (TpnsRateLimitException e) {
        return e;
      } catch (TpnsException e) {
        throw new AssertionError(e);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
