package io.github.tpns4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.micrometer.TpnsObservationListener;
import io.github.tpns4j.testing.FakeTpnsServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Run by TpnsAutoConfigurationTest in a class loader without micrometer-core: the starter as an app
 * without Actuator has it. The app still has micrometer-observation (spring-context brings it), and
 * may have an ObservationRegistry bean.
 */
public final class WithoutMicrometerCore implements Supplier<String> {
  @Override
  public String get() {
    AtomicInteger stopped = new AtomicInteger();
    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler<Observation.Context>() {
              @Override
              public void onStop(Observation.Context context) {
                stopped.incrementAndGet();
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    try (FakeTpnsServer tpns = FakeTpnsServer.start()) {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
          .withBean(ObservationRegistry.class, () -> observations)
          .withPropertyValues(
              "tpns.access-id=" + tpns.accessId(),
              "tpns.secret-key=" + tpns.secretKey(),
              "tpns.base-url=" + tpns.baseUrl())
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(TpnsObservationListener.class);
                assertThat(context.getBeanNamesForType(TpnsClient.class)).hasSize(1);
                context
                    .getBean(TpnsClient.class)
                    .batchOperate(
                        BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("alice"))));
              });
    }
    assertThat(stopped.get()).isEqualTo(1);
    return "observed without micrometer-core";
  }
}
