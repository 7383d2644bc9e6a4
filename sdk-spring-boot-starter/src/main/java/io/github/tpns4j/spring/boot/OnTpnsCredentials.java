package io.github.tpns4j.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code tpns.access-id} has text, or {@code tpns.enabled} is {@code true}. A blank
 * access ID, as {@code tpns.access-id=${TPNS_ACCESS_ID:}} gives when the variable is unset, backs
 * off like an absent one: the app starts without a client. Set {@code tpns.enabled=true} to fail
 * start-up instead, with a message naming the property. The outcome's message (the condition
 * evaluation report, {@code /actuator/conditions}) says which it is and what to set.
 */
class OnTpnsCredentials extends SpringBootCondition {
  /** What to do to get a client, after {@link #absence}. */
  static final String TO_GET_ONE =
      "set tpns.access-id and tpns.secret-key (e.g. tpns.access-id=${TPNS_ACCESS_ID} and"
          + " tpns.secret-key=${TPNS_SECRET_KEY}) to get a TpnsClient, or tpns.enabled=true to"
          + " fail start-up without them";

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    return outcome(context.getEnvironment());
  }

  static ConditionOutcome outcome(PropertyResolver env) {
    String accessId = env.getProperty("tpns.access-id");
    if (hasText(accessId)) {
      return ConditionOutcome.match(
          ConditionMessage.forCondition("tpns.access-id").because("has text"));
    }
    if (enabled(env)) {
      return ConditionOutcome.match(
          ConditionMessage.forCondition("tpns.enabled")
              .because("is true: a TpnsClient is required"));
    }
    return ConditionOutcome.noMatch(
        ConditionMessage.forCondition("").because(absence(env) + ": " + TO_GET_ONE));
  }

  /**
   * Why the starter makes no client, e.g. {@code tpns.access-id is blank and tpns.enabled is not
   * true}; null when it makes one. Names properties, never a value.
   */
  static String absence(PropertyResolver env) {
    String accessId = env.getProperty("tpns.access-id");
    if (hasText(accessId) || enabled(env)) {
      return null;
    }
    return "tpns.access-id is "
        + (accessId == null ? "not set" : "blank")
        + " and tpns.enabled is not true";
  }

  private static boolean enabled(PropertyResolver env) {
    return "true".equalsIgnoreCase(String.valueOf(env.getProperty("tpns.enabled")).trim());
  }

  private static boolean hasText(String value) {
    return value != null && !value.trim().isEmpty();
  }

  /** The opposite: the starter makes no client. */
  static final class Absent extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConditionOutcome made = outcome(context.getEnvironment());
      return made.isMatch()
          ? ConditionOutcome.noMatch(made.getConditionMessage())
          : ConditionOutcome.match(made.getConditionMessage());
    }
  }
}
