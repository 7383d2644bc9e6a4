package io.github.tpns4j.examples.boot;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A service that binds a user's push token to the user on login and unbinds it on logout, through
 * the {@code TpnsClient} bean of {@code tpns4j-spring-boot-starter}. With {@code TPNS_ACCESS_ID}
 * and {@code TPNS_SECRET_KEY} in the environment (Spring reads them as {@code tpns.access-id} and
 * {@code tpns.secret-key}; {@code TPNS_REGION} as {@code tpns.region}) it talks to real TPNS;
 * otherwise to an in-process fake. Metrics: {@code /actuator/metrics/tpns.client.requests}.
 */
@SpringBootApplication
public class TpnsExampleApplication {
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(TpnsExampleApplication.class);
    if (isBlank(System.getenv("TPNS_ACCESS_ID")) || isBlank(System.getenv("TPNS_SECRET_KEY"))) {
      FakeTpnsServer fake = FakeTpnsServer.start();
      Map<String, Object> defaults = new HashMap<>();
      defaults.put("tpns.access-id", fake.accessId());
      defaults.put("tpns.secret-key", fake.secretKey());
      defaults.put("tpns.base-url", fake.baseUrl());
      app.setDefaultProperties(defaults);
      app.addListeners(
          (org.springframework.context.ApplicationListener<ContextClosedEvent>) e -> fake.close());
      System.out.println(
          "TPNS_ACCESS_ID/TPNS_SECRET_KEY not set: using the in-process fake TPNS server at "
              + fake.baseUrl());
    }
    app.run(args);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
