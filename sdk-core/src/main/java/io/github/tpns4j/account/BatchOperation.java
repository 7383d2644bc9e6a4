package io.github.tpns4j.account;

/**
 * The {@code operator_type} of {@code /v3/device/account/batchoperate} (<a
 * href="https://cloud.tencent.com/document/product/548/39070">TPNS account binding</a>). Every
 * operation is idempotent, so the client may repeat a whole call.
 */
public enum BatchOperation {
  /**
   * 1: append accounts to a token.
   *
   * @deprecated disused by TPNS since 2020-10-26: the server runs it as {@link #OVERWRITE}. Use
   *     {@link #OVERWRITE}.
   */
  @Deprecated
  APPEND(1),
  /** 2: for each token, bind the listed accounts, replacing its account of the same type. */
  OVERWRITE(2),
  /** 3: remove the listed accounts from each token. */
  DELETE_ACCOUNTS(3),
  /** 4: remove every account of each listed token. */
  DELETE_ALL_FOR_TOKENS(4),
  /** 5: remove every token binding of each listed account. */
  DELETE_ALL_FOR_ACCOUNTS(5);

  private final int code;

  BatchOperation(int code) {
    this.code = code;
  }

  /** The {@code operator_type} value sent to TPNS, 1 to 5. */
  public int code() {
    return code;
  }
}
