package io.github.tpns4j;

/**
 * Bad input, detected before any I/O: nothing was sent. The message names the field and the rule,
 * e.g. {@code token_accounts has 21 tokens; at most 20 per call}. Fix the input; retrying the same
 * call cannot succeed.
 */
public class TpnsValidationException extends TpnsException {
  private static final long serialVersionUID = 1L;

  /** A validation failure with a message that names the field and the rule it breaks. */
  public TpnsValidationException(String message) {
    super(message);
  }

  /** Bad input, with the exception that found it. */
  public TpnsValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
