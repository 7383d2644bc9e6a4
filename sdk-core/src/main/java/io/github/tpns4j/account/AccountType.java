package io.github.tpns4j.account;

import io.github.tpns4j.TpnsValidationException;

/**
 * The account types TPNS documents, as the {@code int}s {@link Account#of(String, int)} takes (<a
 * href="https://cloud.tencent.com/document/product/548/56434">account types</a>).
 *
 * <p>These follow the current TPNS table, not the older XG numbering that the official Java SDK's
 * {@code AccountType} enum still carries (where 1002 is Weibo; here it is a mobile number).
 */
public final class AccountType {
  /** 0: the default type, used by TPNS when none is sent. */
  public static final int DEFAULT = 0;

  /** 1: the first of the 16 types an app may define for itself; see {@link #custom(int)}. */
  public static final int CUSTOM_MIN = 1;

  /** 16: the last of the 16 types an app may define for itself. */
  public static final int CUSTOM_MAX = 16;

  /** 991: QQ number. */
  public static final int QQ = 991;

  /** 992: MD5 of a QQ number. */
  public static final int QQ_MD5 = 992;

  /** 997: OAID. */
  public static final int OAID = 997;

  /** 998: MD5 of an OAID. */
  public static final int OAID_MD5 = 998;

  /** 999: WeChat UnionID. */
  public static final int WECHAT_UNIONID = 999;

  /** 1002: mobile number in E.164 form, e.g. {@code +8613711112222}. */
  public static final int MOBILE = 1002;

  /** 1003: WeChat OpenID. */
  public static final int WECHAT_OPENID = 1003;

  /** 1004: QQ OpenID. */
  public static final int QQ_OPENID = 1004;

  /** 1005: e-mail address. */
  public static final int EMAIL = 1005;

  /** 1006: Sina Weibo. */
  public static final int SINA_WEIBO = 1006;

  /** 1007: Alipay. */
  public static final int ALIPAY = 1007;

  /** 1008: Taobao. */
  public static final int TAOBAO = 1008;

  /** 1009: Douban. */
  public static final int DOUBAN = 1009;

  /** 1010: Facebook. */
  public static final int FACEBOOK = 1010;

  /** 1011: Twitter. */
  public static final int TWITTER = 1011;

  /** 1012: Google. */
  public static final int GOOGLE = 1012;

  /** 1013: Baidu. */
  public static final int BAIDU = 1013;

  /** 1014: JD. */
  public static final int JD = 1014;

  /** 1015: LinkedIn. */
  public static final int LINKEDIN = 1015;

  private AccountType() {}

  /**
   * The app-defined type number {@code n}, 1 to 16.
   *
   * @throws TpnsValidationException when {@code n} is outside 1..16
   */
  public static int custom(int n) {
    if (n < CUSTOM_MIN || n > CUSTOM_MAX) {
      throw new TpnsValidationException(
          "custom account_type "
              + n
              + " is out of range; TPNS reserves 1 to 16 for app-defined types");
    }
    return n;
  }
}
