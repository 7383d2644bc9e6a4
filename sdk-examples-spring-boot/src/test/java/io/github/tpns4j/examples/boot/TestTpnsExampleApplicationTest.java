package io.github.tpns4j.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.testing.FakeTpnsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The README's way to try the service without credentials: the test main, on the fake. */
class TestTpnsExampleApplicationTest {
  @Test
  void runsTheServiceAgainstTheFakeAndClosesTheFakeWithIt() throws Exception {
    SpringApplication.Running running = TestTpnsExampleApplication.start("--server.port=0");
    ConfigurableApplicationContext context = running.getApplicationContext();
    FakeTpnsServer fake = context.getBean(FakeTpnsServer.class);
    try {
      String port = context.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> login =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"userId\":\"carol\",\"token\":\"device-9\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(fake.accountsOf("device-9")).containsExactly(Account.of("carol", 0));
    } finally {
      context.close();
    }
    // closed with the context: its port no longer answers
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    new java.net.Socket(
                            java.net.InetAddress.getLoopbackAddress(),
                            URI.create(fake.baseUrl()).getPort())
                        .close()))
        .isInstanceOf(java.io.IOException.class);
  }
}
