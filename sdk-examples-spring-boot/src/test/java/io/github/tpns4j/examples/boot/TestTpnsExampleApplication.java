package io.github.tpns4j.examples.boot;

import io.github.tpns4j.testing.FakeTpnsServer;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The example service against the in-process fake TPNS server, for trying it without credentials:
 * {@code mvn -pl sdk-examples-spring-boot spring-boot:test-run}. It lives in {@code src/test}, as
 * Spring Boot's own "test main" idiom has it, so the fake never reaches the application's jar.
 */
public class TestTpnsExampleApplication {
  static FakeTpnsServer fake;

  public static void main(String[] args) {
    start(args);
  }

  static SpringApplication.Running start(String... args) {
    fake = FakeTpnsServer.start();
    System.out.println(
        "DEMO against the in-process fake TPNS server at "
            + fake.baseUrl()
            + " (TestTpnsExampleApplication); run TpnsExampleApplication with TPNS_ACCESS_ID and"
            + " TPNS_SECRET_KEY for real TPNS");
    String[] all = Arrays.copyOf(args, args.length + 3);
    all[args.length] = "--tpns.access-id=" + fake.accessId();
    all[args.length + 1] = "--tpns.secret-key=" + fake.secretKey();
    all[args.length + 2] = "--tpns.base-url=" + fake.baseUrl();
    return SpringApplication.from(TpnsExampleApplication::main).with(FakeTpns.class).run(all);
  }

  /** Closes the fake with the application context. */
  @TestConfiguration(proxyBeanMethods = false)
  static class FakeTpns {
    @Bean(destroyMethod = "close")
    FakeTpnsServer fakeTpnsServer() {
      return fake;
    }
  }
}
