package io.github.tpns4j;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TPNS request signing: {@code Sign = Base64(lowercase hex(HMAC-SHA256(secretKey, TimeStamp +
 * AccessId + body)))}, always 88 characters. TPNS's prose says Base64 of the HMAC itself, but its
 * own sample and its official SDKs encode the hex text, and so does the server (<a
 * href="https://cloud.tencent.com/document/product/548/41046">TPNS authentication</a>).
 *
 * <p>Thread-safe: a signature takes an idle keyed {@link Mac} from one of a few slots, picked by
 * the calling thread, if no other thread holds it (the usual case), else a clone of the keyed
 * prototype, and gives it back to its slot; so the key setup is done once, and threads that sign at
 * once (a bulk run's workers) rarely clone. No thread-local: nothing of the SDK outlives its client
 * on a container's threads.
 */
final class Signer {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] accessId;
  private final SecretKeySpec key;
  private final Mac prototype;
  private final boolean cloneable;
  private static final int SLOTS = 8; // a power of two
  private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(SLOTS);

  Signer(String accessId, String secretKey) {
    this.accessId = accessId.getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.prototype = newMac();
    boolean canClone;
    try {
      prototype.clone();
      canClone = true;
    } catch (CloneNotSupportedException e) {
      canClone = false;
    }
    this.cloneable = canClone;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java 8+ and Android runtime ships HmacSHA256; never fall back to a weaker scheme.
      throw new TpnsException(
          "HmacSHA256 is not available on this runtime; cannot sign requests", e);
    }
  }

  /** The calling thread's slot. */
  private static int slot() {
    int h = System.identityHashCode(Thread.currentThread());
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  private Mac mac(int slot) {
    Mac mac = idle.getAndSet(slot, null);
    if (mac != null) {
      return mac;
    }
    if (cloneable) {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        // fall through: cannot happen after the successful probe in the constructor
      }
    }
    return newMac();
  }

  /** The {@code Sign} header value for this timestamp (Unix seconds) and these exact body bytes. */
  String sign(long timestamp, byte[] body) {
    return sign(Long.toString(timestamp), body);
  }

  /** The same, for the {@code TimeStamp} header's own text. */
  String sign(String timestamp, byte[] body) {
    int slot = slot();
    Mac mac = mac(slot);
    mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
    mac.update(accessId);
    mac.update(body);
    byte[] digest = mac.doFinal(); // also resets it to the keyed state
    idle.set(slot, mac);
    byte[] hex = new byte[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
      hex[2 * i + 1] = HEX[digest[i] & 0xF];
    }
    return Base64.getEncoder().encodeToString(hex);
  }

  @Override
  public String toString() {
    return "Signer{HmacSHA256}";
  }
}
