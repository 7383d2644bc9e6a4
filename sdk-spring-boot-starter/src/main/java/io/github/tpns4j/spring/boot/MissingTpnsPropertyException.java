package io.github.tpns4j.spring.boot;

/**
 * A {@code TpnsClient} is required (a {@code tpns.access-id} is set, or {@code tpns.enabled=true})
 * but a credential property is blank or not set. {@link TpnsFailureAnalyzer} turns it into Spring
 * Boot's Description and Action. Carries property names only, never a value.
 */
class MissingTpnsPropertyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String state;
  private final String variable;
  private final String what;
  private final String requiredBecause;

  /**
   * @param property e.g. {@code tpns.secret-key}
   * @param state {@code blank} or {@code not set}
   * @param variable the environment variable the guide reads it from, e.g. {@code TPNS_SECRET_KEY}
   * @param what e.g. {@code secret key}
   * @param requiredBecause e.g. {@code tpns.enabled is true}
   */
  MissingTpnsPropertyException(
      String property, String state, String variable, String what, String requiredBecause) {
    super(
        property
            + " is "
            + state
            + ": set it to the app's "
            + what
            + " from the TPNS console (e.g. "
            + property
            + "=${"
            + variable
            + "}), or leave tpns.access-id empty and tpns.enabled unset to start without a"
            + " TpnsClient");
    this.property = property;
    this.state = state;
    this.variable = variable;
    this.what = what;
    this.requiredBecause = requiredBecause;
  }

  String property() {
    return property;
  }

  String state() {
    return state;
  }

  String variable() {
    return variable;
  }

  String what() {
    return what;
  }

  String requiredBecause() {
    return requiredBecause;
  }
}
