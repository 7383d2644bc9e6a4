package io.github.tpns4j.account;

/**
 * The account type numbers of the official TPNS Java SDK ({@code io.github.tpnsPush:xinge}, its
 * {@code com.tencent.xinge.bean.AccountType.getType()}, read from version 1.2.4.14), which follow
 * the older XG numbering, not TPNS's {@link AccountType}. TPNS stores the number a request sends,
 * so a binding the official SDK made with {@code AccountType.email} is stored under type 2, not
 * 1005: to unbind or overwrite it from tpns4j, address it with the same number, {@code
 * Account.of("alice@example.com", LegacyAccountType.EMAIL)}. {@code
 * deleteAllForAccounts(Account.of(name))} does not reach it either: an absent type is type 0.
 *
 * <p>Beware the overlap: legacy {@link #WEIBO} (1002) is TPNS's {@link AccountType#MOBILE}, legacy
 * {@link #DOUBAN} (1005) is TPNS's {@link AccountType#EMAIL}, and so on. A binding made with the
 * official SDK's {@code AccountTypePair} without a type has type 0, as tpns4j's {@link
 * Account#of(String)} sends. See docs/coming-from-the-official-sdk.md.
 */
public final class LegacyAccountType {
  /** {@code unknown}: 0, the same as TPNS's default type. */
  public static final int UNKNOWN = 0;

  /** {@code mobile}: 1 (TPNS: {@link AccountType#MOBILE} is 1002). */
  public static final int MOBILE = 1;

  /** {@code email}: 2 (TPNS: {@link AccountType#EMAIL} is 1005). */
  public static final int EMAIL = 2;

  /** {@code wx_openid}: 1000 (TPNS: {@link AccountType#WECHAT_OPENID} is 1003). */
  public static final int WX_OPENID = 1000;

  /** {@code qq_openid}: 1001 (TPNS: {@link AccountType#QQ_OPENID} is 1004). */
  public static final int QQ_OPENID = 1001;

  /** {@code weibo}: 1002, which is TPNS's {@link AccountType#MOBILE}. */
  public static final int WEIBO = 1002;

  /** {@code alipay}: 1003, which is TPNS's {@link AccountType#WECHAT_OPENID}. */
  public static final int ALIPAY = 1003;

  /** {@code taobao}: 1004, which is TPNS's {@link AccountType#QQ_OPENID}. */
  public static final int TAOBAO = 1004;

  /** {@code douban}: 1005, which is TPNS's {@link AccountType#EMAIL}. */
  public static final int DOUBAN = 1005;

  /** {@code facebook}: 1006. */
  public static final int FACEBOOK = 1006;

  /** {@code twitter}: 1007. */
  public static final int TWITTER = 1007;

  /** {@code google}: 1008. */
  public static final int GOOGLE = 1008;

  /** {@code baidu}: 1009. */
  public static final int BAIDU = 1009;

  /** {@code jd}: 1010. */
  public static final int JD = 1010;

  /** {@code linkin}: 1011. */
  public static final int LINKEDIN = 1011;

  /** {@code others}: 1999. */
  public static final int OTHERS = 1999;

  /** {@code visitors}: 2000. */
  public static final int VISITORS = 2000;

  private LegacyAccountType() {}
}
