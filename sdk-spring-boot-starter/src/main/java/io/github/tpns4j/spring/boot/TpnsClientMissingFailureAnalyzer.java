package io.github.tpns4j.spring.boot;

import io.github.tpns4j.TpnsClient;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * When the app needs a {@code TpnsClient} and the starter backed off for want of an access ID, says
 * so and what to set, instead of Spring's "Consider defining a bean of type 'TpnsClient'". (Boot
 * 3.5's and 4.0's own analysis of a missing bean does not quote the condition that backed off: it
 * is made after the failed refresh.) Any other missing bean is left to Boot's analyzer. Registered
 * in {@code META-INF/spring.factories}.
 */
class TpnsClientMissingFailureAnalyzer
    extends AbstractInjectionFailureAnalyzer<NoSuchBeanDefinitionException> implements Ordered {
  private final Environment environment;

  /** Boot passes the application's environment (null when there is no context). */
  TpnsClientMissingFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, NoSuchBeanDefinitionException cause, String description) {
    if (environment == null
        || cause.getResolvableType() == null
        || !TpnsClient.class.equals(cause.getResolvableType().resolve())) {
      return null;
    }
    String absence = OnTpnsCredentials.absence(environment);
    if (absence == null) {
      return null; // the starter did not back off for want of credentials
    }
    return new FailureAnalysis(
        (description == null ? "A component" : description)
            + " required a bean of type '"
            + TpnsClient.class.getName()
            + "' that could not be found: tpns4j-spring-boot-starter made none, because "
            + absence
            + ".",
        "Set tpns.access-id and tpns.secret-key to the app's access ID and secret key from the"
            + " TPNS console, e.g. tpns.access-id=${TPNS_ACCESS_ID} and"
            + " tpns.secret-key=${TPNS_SECRET_KEY} with the variables in the environment (and"
            + " tpns.enabled=true, to fail start-up with this message when they are blank), or"
            + " define a TpnsClient bean of your own.",
        cause);
  }

  @Override
  public int getOrder() {
    return 0; // before Boot's NoSuchBeanDefinitionFailureAnalyzer
  }
}
