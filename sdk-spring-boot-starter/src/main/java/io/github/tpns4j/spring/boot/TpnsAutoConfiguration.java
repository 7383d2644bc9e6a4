package io.github.tpns4j.spring.boot;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.micrometer.TpnsMicrometerListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link TpnsClient} bean from the {@code tpns.*} properties ({@link TpnsProperties}) when {@code
 * tpns.access-id} is set and the app defines no {@code TpnsClient} of its own; closed when the
 * context closes. Every {@link TpnsEventListener} bean receives its events, and with Micrometer and
 * a {@link MeterRegistry} bean present, a {@link TpnsMicrometerListener} is one of them. {@code
 * tpns.ok-http-client-bean} names an {@code OkHttpClient} bean to share.
 */
@AutoConfiguration(
    afterName = {
      // Boot 4 and Boot 3 names of the auto-configuration that makes the MeterRegistry bean
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(TpnsClient.class)
@EnableConfigurationProperties(TpnsProperties.class)
public class TpnsAutoConfiguration {

  /** The client, built from the properties. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "tpns", name = "access-id")
  public TpnsClient tpnsClient(
      TpnsProperties properties, ObjectProvider<TpnsEventListener> listeners, BeanFactory beans) {
    TpnsClient.Builder b =
        TpnsClient.builder()
            .accessId(properties.getAccessId())
            .secretKey(properties.getSecretKey());
    if (properties.getRegion() != null) {
      b.region(properties.getRegion());
    }
    if (properties.getBaseUrl() != null && !properties.getBaseUrl().isBlank()) {
      b.baseUrl(properties.getBaseUrl());
    }
    if (properties.getAuthMode() != null) {
      b.authMode(properties.getAuthMode());
    }
    if (properties.getConnectTimeout() != null) {
      b.connectTimeout(properties.getConnectTimeout());
    }
    if (properties.getReadTimeout() != null) {
      b.readTimeout(properties.getReadTimeout());
    }
    if (properties.getCallTimeout() != null) {
      b.callTimeout(properties.getCallTimeout());
    }
    if (properties.getMaxRetries() != null) {
      b.maxRetries(properties.getMaxRetries());
    }
    if (properties.getRetryBackoffInitial() != null || properties.getRetryBackoffMax() != null) {
      Duration initial =
          properties.getRetryBackoffInitial() != null
              ? properties.getRetryBackoffInitial()
              : Duration.ofMillis(200);
      Duration max =
          properties.getRetryBackoffMax() != null
              ? properties.getRetryBackoffMax()
              : Duration.ofSeconds(5);
      b.retryBackoff(initial, max);
    }
    if (properties.getOkHttpClientBean() != null && !properties.getOkHttpClientBean().isBlank()) {
      b.okHttpClient(beans.getBean(properties.getOkHttpClientBean(), OkHttpClient.class));
    }
    List<TpnsEventListener> all = listeners.orderedStream().collect(Collectors.toList());
    if (all.size() == 1) {
      b.eventListener(all.get(0));
    } else if (!all.isEmpty()) {
      b.eventListener(new CompositeListener(all));
    }
    return b.build(); // closed by the context: TpnsClient is AutoCloseable
  }

  /** Metrics, when Micrometer is on the class path and the app has a registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, TpnsMicrometerListener.class})
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    TpnsMicrometerListener tpnsMicrometerListener(MeterRegistry registry) {
      return new TpnsMicrometerListener(registry);
    }
  }

  /** Several listener beans, each told every event. */
  static final class CompositeListener implements TpnsEventListener {
    private final List<TpnsEventListener> listeners;

    CompositeListener(List<TpnsEventListener> listeners) {
      this.listeners = List.copyOf(listeners);
    }

    /** One listener that throws does not keep the others from hearing the event. */
    private void each(java.util.function.Consumer<TpnsEventListener> event) {
      for (TpnsEventListener l : listeners) {
        try {
          event.accept(l);
        } catch (RuntimeException ignored) {
          // as TpnsClient does for a single listener
        }
      }
    }

    @Override
    public void attemptEnded(AttemptEnded e) {
      each(l -> l.attemptEnded(e));
    }

    @Override
    public void callEnded(CallEnded e) {
      each(l -> l.callEnded(e));
    }

    @Override
    public void retryScheduled(RetryScheduled e) {
      each(l -> l.retryScheduled(e));
    }

    @Override
    public void bulkLimitChanged(BulkLimitChanged e) {
      each(l -> l.bulkLimitChanged(e));
    }

    @Override
    public void bulkCallEnded(BulkCallEnded e) {
      each(l -> l.bulkCallEnded(e));
    }
  }
}
