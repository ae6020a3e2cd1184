package org.memos3.kv.object;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memos3.kv.KvException;

/**
 * A key the client holds (S3's SSE-C): an object written with one is readable only with the same
 * key. Its chunks are sealed under a key derived from it and the manifest's write id; memo-s3 keeps
 * only a check value (an HMAC of the key, never the key), which tells a wrong key (AccessDenied)
 * from a damaged chunk. The manifest's own data key still seals the chunk tree's index blocks, so
 * GC and scrub walk the object without the client's key.
 */
public final class CustomerKey {
  private final byte[] key;

  /** {@code key}: the client's 256-bit key. */
  public CustomerKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an SSE-C key has 256 bits");
    }
    this.key = key.clone();
  }

  /** The value a manifest keeps to recognize this key (the same for every object). */
  public byte[] check() {
    return hmac("memo-s3 sse-c key check".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The key that seals the chunks of the manifest written as {@code writeId}. */
  byte[] chunkKey(byte[] writeId) {
    byte[] label = "memo-s3 sse-c chunk".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] in = new byte[label.length + writeId.length];
    System.arraycopy(label, 0, in, 0, label.length);
    System.arraycopy(writeId, 0, in, label.length, writeId.length);
    return hmac(in);
  }

  /**
   * The ETag of an object written with this key, for the plaintext MD5 {@code md5Hex}: not the MD5
   * itself (as on S3, an SSE-C object's ETag is no digest of its plaintext), stable for the same
   * bytes and key.
   */
  public String etag(String md5Hex) {
    byte[] label = "memo-s3 sse-c etag".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] md5 = HexFormat.of().parseHex(md5Hex);
    byte[] in = new byte[label.length + md5.length];
    System.arraycopy(label, 0, in, 0, label.length);
    System.arraycopy(md5, 0, in, label.length, md5.length);
    return HexFormat.of().formatHex(java.util.Arrays.copyOf(hmac(in), 16));
  }

  /**
   * The key that seals {@code m}'s chunks when read with {@code given} (null: no key given): the
   * manifest's data key for an object written without a customer key; for one written with it, the
   * key derived from {@code given}. CUSTOMER_KEY_REQUIRED without one, CUSTOMER_KEY_MISMATCH for
   * another one, CUSTOMER_KEY_NOT_APPLICABLE for a key given for an object without.
   */
  public static byte[] chunkKeyOf(org.memos3.kv.manifest.Manifest m, CustomerKey given) {
    check(m.customerKeyCheck(), given);
    return given == null ? m.dataKey() : given.chunkKey(m.writeId());
  }

  /** {@link #chunkKeyOf}'s refusals, for a version whose manifest holds {@code check}. */
  public static void check(byte[] check, CustomerKey given) {
    if (check == null) {
      if (given != null) {
        throw new KvException(
            KvException.Reason.CUSTOMER_KEY_NOT_APPLICABLE,
            "The encryption parameters are not applicable to this object.");
      }
      return;
    }
    if (given == null) {
      throw new KvException(
          KvException.Reason.CUSTOMER_KEY_REQUIRED,
          "The object was stored using a form of Server Side Encryption. The correct parameters"
              + " must be provided to retrieve the object.");
    }
    if (!MessageDigest.isEqual(check, given.check())) {
      throw new KvException(KvException.Reason.CUSTOMER_KEY_MISMATCH, "customer key mismatch");
    }
  }

  private byte[] hmac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
