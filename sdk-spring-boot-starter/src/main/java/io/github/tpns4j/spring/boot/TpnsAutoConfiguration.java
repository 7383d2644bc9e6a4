package io.github.tpns4j.spring.boot;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsEventListener;
import io.github.tpns4j.micrometer.TpnsMicrometerListener;
import io.github.tpns4j.micrometer.TpnsObservationConvention;
import io.github.tpns4j.micrometer.TpnsObservationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A {@link TpnsClient} bean from the {@code tpns.*} properties ({@link TpnsProperties}) when {@code
 * tpns.access-id} has text (a blank one backs off, unless {@code tpns.enabled=true}, which fails
 * start-up naming the property) and the app defines no {@code TpnsClient} of its own; closed when
 * the context closes. Every {@link TpnsClientBuilderCustomizer} bean is applied, in order, after
 * the properties. Every {@link TpnsEventListener} bean receives its events, and with Micrometer and
 * a {@link MeterRegistry} bean present, a {@link TpnsMicrometerListener} is one of them (closed
 * with the context, which removes its gauge). Without credentials it logs one INFO line saying what
 * to set.
 */
@AutoConfiguration(
    afterName = {
      // Boot 4 and Boot 3 names of the auto-configurations that make the MeterRegistry and
      // ObservationRegistry beans
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
    })
@ConditionalOnClass(TpnsClient.class)
@EnableConfigurationProperties(TpnsProperties.class)
public class TpnsAutoConfiguration {
  private static final Log LOG = LogFactory.getLog(TpnsAutoConfiguration.class);

  /** The client, built from the properties. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnTpnsCredentials.class)
  public TpnsClient tpnsClient(
      TpnsProperties properties,
      ObjectProvider<TpnsEventListener> listeners,
      ObjectProvider<TpnsClientBuilderCustomizer> customizers,
      BeanFactory beans) {
    String requiredBecause =
        hasText(properties.getAccessId()) ? "tpns.access-id is set" : "tpns.enabled is true";
    requireText(
        properties.getAccessId(), "tpns.access-id", "TPNS_ACCESS_ID", "access ID", requiredBecause);
    requireText(
        properties.getSecretKey(),
        "tpns.secret-key",
        "TPNS_SECRET_KEY",
        "secret key",
        requiredBecause);
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
    if (properties.getCallDeadline() != null) {
      b.callDeadline(properties.getCallDeadline());
    }
    Duration initial = properties.getRetryBackoffInitial();
    Duration max = properties.getRetryBackoffMax();
    if (initial != null || max != null) {
      // The one that is not set keeps core's default, moved so that initial <= max holds.
      if (initial == null) {
        initial = min(TpnsClient.Builder.DEFAULT_RETRY_BACKOFF_INITIAL, max);
      }
      if (max == null) {
        max = max(TpnsClient.Builder.DEFAULT_RETRY_BACKOFF_MAX, initial);
      }
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
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build(); // closed by the context: TpnsClient is AutoCloseable
  }

  private static boolean hasText(String value) {
    return value != null && !value.trim().isEmpty();
  }

  /** Fails start-up with Boot's Description and Action ({@link TpnsFailureAnalyzer}). */
  private static void requireText(
      String value, String property, String variable, String what, String requiredBecause) {
    if (!hasText(value)) {
      throw new MissingTpnsPropertyException(
          property, value == null ? "not set" : "blank", variable, what, requiredBecause);
    }
  }

  /**
   * Without credentials the starter backs off, and says so once at start-up, before any bean that
   * needs a {@code TpnsClient} fails: one INFO line naming what to set (never a value).
   */
  @Configuration(proxyBeanMethods = false)
  @Conditional(OnTpnsCredentials.Absent.class)
  @ConditionalOnMissingBean(TpnsClient.class)
  static class NoClientConfiguration {
    @Bean
    static BeanFactoryPostProcessor tpnsNoClientNotice(Environment environment) {
      String absence = OnTpnsCredentials.absence(environment);
      return beanFactory ->
          LOG.info(
              "No TpnsClient bean: "
                  + absence
                  + ". "
                  + Character.toUpperCase(OnTpnsCredentials.TO_GET_ONE.charAt(0))
                  + OnTpnsCredentials.TO_GET_ONE.substring(1)
                  + ".");
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Metrics, when Micrometer is on the class path and the app has a registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, TpnsMicrometerListener.class})
  @Conditional(OnTpnsCredentials.class)
  static class MetricsConfiguration {
    /** Closed with the context, after the client: its gauge leaves the registry. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    TpnsMicrometerListener tpnsMicrometerListener(
        MeterRegistry registry, TpnsProperties properties) {
      return new TpnsMicrometerListener(
          registry, io.micrometer.core.instrument.Tags.of("client", client(properties)));
    }
  }

  /**
   * One observation per call (metrics and trace spans), when the app has an {@code
   * ObservationRegistry}, as Boot instruments its own clients; a {@code TpnsObservationConvention}
   * bean replaces the default names and keys.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ObservationRegistry.class, TpnsObservationListener.class})
  @Conditional(OnTpnsCredentials.class)
  static class ObservationConfiguration {
    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnMissingBean
    TpnsObservationListener tpnsObservationListener(
        ObservationRegistry registry,
        ObjectProvider<TpnsObservationConvention> convention,
        TpnsProperties properties) {
      return new TpnsObservationListener(registry, convention.getIfAvailable(), client(properties));
    }
  }

  /** The {@code client} tag: the app's access ID (not a secret), which tells two apps apart. */
  static String client(TpnsProperties properties) {
    String id = properties.getAccessId();
    return id == null || id.trim().isEmpty() ? "default" : id.trim();
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
    public void callStarted(CallStarted e) {
      each(l -> l.callStarted(e));
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
    public void bulkRunStarted(BulkRunStarted e) {
      each(l -> l.bulkRunStarted(e));
    }

    @Override
    public void bulkLimitChanged(BulkLimitChanged e) {
      each(l -> l.bulkLimitChanged(e));
    }

    @Override
    public void bulkRunEnded(BulkRunEnded e) {
      each(l -> l.bulkRunEnded(e));
    }

    @Override
    public void bulkCallEnded(BulkCallEnded e) {
      each(l -> l.bulkCallEnded(e));
    }
  }
}
