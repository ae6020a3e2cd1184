package org.memos3.kv.object;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.memos3.kv.KvException;
import org.memos3.kv.manifest.Manifest;

/**
 * A key the client holds (S3's SSE-C): an object written with one is readable only with the same
 * key. Its chunks are sealed under a key derived from it and the manifest's write id; memo-s3 keeps
 * only a check value (a random salt and an HMAC of it under the key, never the key; a new salt for
 * every manifest and upload, so that equal keys do not show), which tells a wrong key
 * (AccessDenied) from a damaged chunk. The manifest's own data key still seals the chunk tree's
 * index blocks, so GC and scrub walk the object without the client's key.
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

  /** The length of a check value: a 16-byte salt and a 32-byte HMAC. */
  public static final int CHECK_LENGTH = Manifest.CUSTOMER_KEY_CHECK_LENGTH;

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A new value for a manifest or upload to recognize this key by: a fresh salt and its HMAC. */
  public byte[] newCheck() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return checkWith(salt);
  }

  /** Whether {@code check} (a value {@link #newCheck} made) was made with this key. */
  public boolean matches(byte[] check) {
    return check.length == CHECK_LENGTH
        && MessageDigest.isEqual(check, checkWith(java.util.Arrays.copyOf(check, 16)));
  }

  private byte[] checkWith(byte[] salt) {
    byte[] out = new byte[CHECK_LENGTH];
    System.arraycopy(salt, 0, out, 0, 16);
    System.arraycopy(hmac("memo-s3 sse-c key check", salt), 0, out, 16, 32);
    return out;
  }

  /** The key that seals the chunks of the manifest written as {@code writeId}. */
  byte[] chunkKey(byte[] writeId) {
    return hmac("memo-s3 sse-c chunk", writeId);
  }

  /**
   * The ETag of the write {@code writeId} with this key, for the plaintext MD5 {@code md5Hex}: not
   * the MD5 itself (as on S3, an SSE-C object's ETag is no digest of its plaintext), and bound to
   * the write, so that equal contents under one key do not show as equal ETags in a listing.
   */
  public String etag(String md5Hex, byte[] writeId) {
    byte[] mac = hmac("memo-s3 sse-c etag", writeId, HexFormat.of().parseHex(md5Hex));
    return HexFormat.of().formatHex(java.util.Arrays.copyOf(mac, 16));
  }

  /**
   * The key that seals {@code m}'s chunks when read with {@code given} (null: no key given): the
   * manifest's data key for an object written without a customer key; for one written with it, the
   * key derived from {@code given}. CUSTOMER_KEY_REQUIRED without one, CUSTOMER_KEY_MISMATCH for
   * another one, CUSTOMER_KEY_NOT_APPLICABLE for a key given for an object without.
   */
  public static byte[] chunkKeyOf(Manifest m, CustomerKey given) {
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
    if (!given.matches(check)) {
      throw new KvException(KvException.Reason.CUSTOMER_KEY_MISMATCH, "customer key mismatch");
    }
  }

  /** HMAC-SHA256 under this key of {@code label} (UTF-8) followed by {@code parts}. */
  private byte[] hmac(String label, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
