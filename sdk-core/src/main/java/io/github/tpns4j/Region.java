package io.github.tpns4j;

/**
 * The TPNS service access points. Data is fully separate between them: an app belongs to exactly
 * one, shown in the TPNS console (<a href="https://cloud.tencent.com/document/product/548/49157">
 * service access points</a>).
 */
public enum Region {
  /** Guangzhou, {@code https://api.tpns.tencent.com/}: the default. */
  GUANGZHOU("https://api.tpns.tencent.com/"),
  /** Shanghai, {@code https://api.tpns.sh.tencent.com/}. */
  SHANGHAI("https://api.tpns.sh.tencent.com/"),
  /** Hong Kong, {@code https://api.tpns.hk.tencent.com/}. */
  HONG_KONG("https://api.tpns.hk.tencent.com/"),
  /** Singapore, {@code https://api.tpns.sgp.tencent.com/}. */
  SINGAPORE("https://api.tpns.sgp.tencent.com/");

  private final String baseUrl;

  Region(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * The access point's base URL, ending with {@code /}, e.g. {@code https://api.tpns.tencent.com/}.
   */
  public String baseUrl() {
    return baseUrl;
  }
}
