package io.github.tpns4j.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service that binds a user's push token to the user on login and unbinds it on logout, through
 * the {@code TpnsClient} bean of {@code tpns4j-spring-boot-starter}. It talks to the TPNS app whose
 * credentials it is given ({@code TPNS_ACCESS_ID} and {@code TPNS_SECRET_KEY} in the environment,
 * read by Spring as {@code tpns.access-id} and {@code tpns.secret-key}; {@code TPNS_REGION} as
 * {@code tpns.region}). To try it against the in-process fake TPNS server instead, run {@code
 * TestTpnsExampleApplication} from {@code src/test} ({@code spring-boot:test-run}): the fake never
 * ships in the application. Actuator exposes {@code health} and {@code metrics} only, e.g. {@code
 * /actuator/metrics/tpns.client.requests}.
 */
@SpringBootApplication
public class TpnsExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(TpnsExampleApplication.class, args);
  }
}
