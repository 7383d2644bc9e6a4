package io.github.tpns4j.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code tpns.access-id} has text, or {@code tpns.enabled} is {@code true}. A blank
 * access ID, as {@code tpns.access-id=${TPNS_ACCESS_ID:}} gives when the variable is unset, backs
 * off like an absent one: the app starts without a client. Set {@code tpns.enabled=true} to fail
 * start-up instead, with a message naming the property.
 */
class OnTpnsCredentials extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment env = context.getEnvironment();
    String accessId = env.getProperty("tpns.access-id");
    if (accessId != null && !accessId.trim().isEmpty()) {
      return ConditionOutcome.match("tpns.access-id is set");
    }
    if ("true".equalsIgnoreCase(String.valueOf(env.getProperty("tpns.enabled")).trim())) {
      return ConditionOutcome.match("tpns.enabled is true");
    }
    return ConditionOutcome.noMatch(
        "tpns.access-id is "
            + (accessId == null ? "not set" : "blank")
            + " and tpns.enabled is not true: no TpnsClient");
  }
}
