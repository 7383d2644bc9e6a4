package io.github.tpns4j;

/**
 * How requests are authenticated (<a href="https://cloud.tencent.com/document/product/548/41046">
 * TPNS authentication</a>).
 */
public enum AuthMode {
  /**
   * The default and recommended mode: headers {@code AccessId}, {@code TimeStamp} and {@code Sign},
   * an HMAC-SHA256 over the timestamp, the access ID and the exact body. The secret key never
   * travels.
   */
  SIGNATURE,
  /**
   * {@code Authorization: Basic base64(accessId:secretKey)}. Documented by TPNS as less secure: the
   * secret key travels with every request.
   */
  BASIC
}
