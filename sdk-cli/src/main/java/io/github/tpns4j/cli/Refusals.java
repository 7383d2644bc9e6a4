package io.github.tpns4j.cli;

/**
 * Which per-item codes refuse a row for good, and what each means: one rule for {@code tpns4j
 * import} ({@code refused-rows.csv}) and the Spark job ({@code outcome=refused}).
 */
public final class Refusals {
  private Refusals() {}

  /**
   * Whether TPNS refused the row itself, so that it fails again unchanged: an unregistered or
   * illegal token, an account with 100 tokens ({@code 1008006}, {@code 1008007}, {@code 1008029}).
   * Any other code (a whole call refused for the credentials or the app's state, an internal error,
   * no answer) says nothing against the row: it is sent again once that is fixed.
   */
  public static boolean isRefusedForGood(String code) {
    return "1008006".equals(code) || "1008007".equals(code) || "1008029".equals(code);
  }

  /** What a per-item code means and what to do about it. */
  public static String meaning(String code) {
    switch (code == null ? "" : code) {
      case "1008006":
        return "token not registered with this app: check the token and the app; a device gets a"
            + " new token after reinstalling";
      case "1008007":
        return "refused parameter, e.g. an account already bound to 100 tokens: unbind some first";
      case "1008029":
        return "illegal token: check the token's value";
      case "1008003":
      case "10030002":
        return "the credentials were refused for the whole call: fix them, then send again";
      default:
        return "see https://cloud.tencent.com/document/product/548/39080";
    }
  }
}
