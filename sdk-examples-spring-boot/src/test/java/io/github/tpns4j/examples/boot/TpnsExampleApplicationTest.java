package io.github.tpns4j.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Drives the service over HTTP against a fake TPNS, then reads its metrics from the actuator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TpnsExampleApplicationTest {
  static final FakeTpnsServer TPNS = FakeTpnsServer.start();

  @DynamicPropertySource
  static void tpns(DynamicPropertyRegistry registry) {
    registry.add("tpns.access-id", TPNS::accessId);
    registry.add("tpns.secret-key", TPNS::secretKey);
    registry.add("tpns.base-url", TPNS::baseUrl);
  }

  @AfterAll
  static void stopFake() {
    TPNS.close();
  }

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (json != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsOnLoginUnbindsOnLogoutAndShowsTheRequestsInItsMetrics() throws Exception {
    HttpResponse<String> login =
        send("POST", "/login", "{\"userId\":\"alice@example.com\",\"token\":\"device-1\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("\"ok\":true");
    assertThat(TPNS.accountsOf("device-1")).containsExactly(Account.of("alice@example.com", 0));

    HttpResponse<String> metric =
        send(
            "GET",
            "/actuator/metrics/tpns.client.requests"
                + "?tag=endpoint:batchoperate&tag=status:200&tag=ret_code:0&tag=outcome:SUCCESS",
            null);
    assertThat(metric.statusCode()).isEqualTo(200);
    assertThat(metric.body()).contains("\"name\":\"tpns.client.requests\"");
    assertThat(metric.body()).containsPattern("\"statistic\":\"COUNT\",\"value\":[1-9]");
    // and the observation of each call, from the starter alone (no tpns4j-micrometer in the pom)
    HttpResponse<String> observed =
        send("GET", "/actuator/metrics/tpns.client.call?tag=result:SUCCESS", null);
    assertThat(observed.statusCode()).isEqualTo(200);
    assertThat(observed.body()).containsPattern("\"statistic\":\"COUNT\",\"value\":[1-9]");

    assertThat(send("POST", "/logout", "{\"token\":\"device-1\"}").statusCode()).isEqualTo(200);
    assertThat(TPNS.accountsOf("device-1")).isEmpty();
  }

  @Test
  void aBadTokenIsA400WithTheReason() throws Exception {
    HttpResponse<String> r = send("POST", "/login", "{\"userId\":\"bob\",\"token\":\" \"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("blank");
  }

  @Test
  void actuatorExposesHealthAndMetricsOnly() throws Exception {
    assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
    for (String path :
        new String[] {"/actuator/configprops", "/actuator/env", "/actuator/beans", "/actuator"}) {
      HttpResponse<String> r = send("GET", path, null);
      assertThat(r.body()).doesNotContain(TPNS.secretKey());
      if (!path.equals("/actuator")) {
        assertThat(r.statusCode()).as(path).isEqualTo(404);
      }
    }
  }
}
