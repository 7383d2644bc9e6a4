package io.github.tpns4j.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Spring Boot's Description and Action for a required {@code TpnsClient} whose credentials are
 * blank, instead of a stack trace. Registered in {@code META-INF/spring.factories}.
 */
class TpnsFailureAnalyzer extends AbstractFailureAnalyzer<MissingTpnsPropertyException>
    implements Ordered {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingTpnsPropertyException cause) {
    return new FailureAnalysis(
        "The TpnsClient of tpns4j-spring-boot-starter cannot be built: "
            + cause.property()
            + " is "
            + cause.state()
            + ", and a client is required because "
            + cause.requiredBecause()
            + ".",
        "Set "
            + cause.property()
            + " to the app's "
            + cause.what()
            + " from the TPNS console, e.g. "
            + cause.property()
            + "=${"
            + cause.variable()
            + "} with "
            + cause.variable()
            + " in the environment.\n"
            + "To start without a TpnsClient instead, leave tpns.access-id empty and do not set"
            + " tpns.enabled=true.",
        cause);
  }

  @Override
  public int getOrder() {
    return 0; // before Boot's general analyzers
  }
}
