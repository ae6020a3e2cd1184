package org.memos3.frontend.op;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.object.CustomerKey;

/**
 * S3's server-side encryption with customer-provided keys (SSE-C): the key headers of a request
 * ({@code x-amz-server-side-encryption-customer-algorithm}, {@code -key}, {@code -key-MD5}, and for
 * a copy's source the same under {@code x-amz-copy-source-}), checked as S3 checks them. As on S3
 * the key may only travel over TLS; memo-s3 also takes it from a client on the loopback interface,
 * where nothing is on the wire.
 */
final class CustomerKeys {
  static final String PREFIX = "x-amz-server-side-encryption-customer-";
  static final String COPY_SOURCE_PREFIX = "x-amz-copy-source-server-side-encryption-customer-";

  private CustomerKeys() {}

  /** The request's key, or null without one. */
  static CustomerKey of(Call call) {
    return parse(call, PREFIX);
  }

  /**
   * The key a write into {@code b} gives its new object (or part), or null without one: 403
   * AccessDenied when {@code b} blocks SSE-C, as S3 blocks it by default since 2026 (re-encrypting
   * objects under a key only an attacker holds is a ransomware technique; a bucket's owner unblocks
   * it with PutBucketEncryption's BlockedEncryptionTypes NONE or {@code memo-s3 bucket sse-c}).
   */
  static CustomerKey forWrite(Call call, org.memos3.kv.bucket.Bucket b) {
    CustomerKey k = of(call);
    if (k != null && !b.sseCustomerAllowed()) {
      throw new S3ErrorException(
          S3ErrorCode.ACCESS_DENIED,
          "Requests specifying Server Side Encryption with Customer provided keys are blocked for"
              + " this bucket.");
    }
    return k;
  }

  /** The key of a copy's source, or null without one. */
  static CustomerKey ofCopySource(Call call) {
    return parse(call, COPY_SOURCE_PREFIX);
  }

  private static CustomerKey parse(Call call, String prefix) {
    Optional<String> algorithm = call.header(prefix + "algorithm");
    Optional<String> key = call.header(prefix + "key");
    Optional<String> md5 = call.header(prefix + "key-md5");
    if (algorithm.isEmpty() && key.isEmpty() && md5.isEmpty()) {
      return null;
    }
    if (algorithm.isEmpty()) {
      throw invalid(
          "Requests specifying Server Side Encryption with Customer provided keys must provide a"
              + " valid encryption algorithm.",
          prefix + "algorithm");
    }
    if (!algorithm.get().trim().equals("AES256")) {
      throw new S3ErrorException(
              "InvalidEncryptionAlgorithmError",
              400,
              "The Encryption request you specified is not valid. Supported value: AES256.")
          .with("ArgumentName", prefix + "algorithm")
          .with("ArgumentValue", algorithm.get());
    }
    if (key.isEmpty()) {
      throw invalid(
          "Requests specifying Server Side Encryption with Customer provided keys must provide an"
              + " appropriate secret key.",
          prefix + "key");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(key.get().trim());
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != 32) {
      throw invalid("The secret key was invalid for the specified algorithm.", prefix + "key");
    }
    if (md5.isEmpty()) {
      throw invalid(
          "Requests specifying Server Side Encryption with Customer provided keys must provide the"
              + " client calculated MD5 of the secret key.",
          prefix + "key-MD5");
    }
    if (!md5.get().trim().equals(md5Base64(bytes))) {
      throw invalid(
          "The calculated MD5 hash of the key did not match the hash that was provided.",
          prefix + "key-MD5");
    }
    refuseInTheClear(call.exchange());
    return new CustomerKey(bytes);
  }

  /**
   * 400 InvalidRequest for a request that carries a client's key (or a copy source's) over plain
   * HTTP from anywhere but the loopback interface, as S3 refuses keys outside TLS, whatever the
   * operation would do with it. The key has crossed the network by then; refusing tells the client.
   */
  static void refuseInTheClear(S3Exchange ex) {
    if ((ex.header(PREFIX + "key").isPresent() || ex.header(COPY_SOURCE_PREFIX + "key").isPresent())
        && !ex.secure()
        && !loopback(ex.remoteAddress())) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST,
          "Requests specifying Server Side Encryption with Customer provided keys must be made"
              + " over a secure connection.");
    }
  }

  /**
   * For an upload created with a client's key and a checksum algorithm, its key: ListParts and
   * CompleteMultipartUpload then answer with checksums of the plaintext, which S3 gives only with
   * the key.
   */
  static void requireForChecksums(Call call, byte[] check, String checksumAlgorithm) {
    if (check != null && checksumAlgorithm != null) {
      CustomerKey.check(check, of(call));
    }
  }

  /** The algorithm and key MD5 S3 echoes in answers about an object written with a key. */
  static void echo(Map<String, String> out, Call call) {
    echo(out, call.header(PREFIX + "key-md5"));
  }

  /** {@link #echo(Map, Call)} for the key MD5 {@code keyMd5} a request gave (a form's field). */
  static void echo(Map<String, String> out, Optional<String> keyMd5) {
    keyMd5.ifPresent(
        m -> {
          out.put(PREFIX + "algorithm", "AES256");
          out.put(PREFIX + "key-MD5", m.trim());
        });
  }

  static boolean loopback(String address) {
    if (address == null) {
      return false;
    }
    byte[] a = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address);
    try {
      return a != null && java.net.InetAddress.getByAddress(a).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static String md5Base64(byte[] key) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private static S3ErrorException invalid(String message, String header) {
    return new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", header);
  }
}
