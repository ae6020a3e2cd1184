package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/** Object metadata between HTTP headers and the manifest: what is stored and how it is returned. */
final class ObjectHeaders {
  /** Standard headers S3 stores with an object and returns on GET/HEAD. */
  static final List<String> STORED =
      List.of(
          "content-type",
          "content-encoding",
          "content-disposition",
          "content-language",
          "cache-control",
          "expires");

  static final int MAX_USER_METADATA = 2048;
  static final int MAX_KEY_BYTES = 1024;
  static final String META = "x-amz-meta-";

  private ObjectHeaders() {}

  static final String SSE = "x-amz-server-side-encryption";
  private static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
  private static final String KMS_CONTEXT = "x-amz-server-side-encryption-context";
  private static final String CUSTOMER_ALGORITHM =
      "x-amz-server-side-encryption-customer-algorithm";
  private static final String CUSTOMER_KEY = "x-amz-server-side-encryption-customer-key";
  private static final String CUSTOMER_KEY_MD5 = "x-amz-server-side-encryption-customer-key-md5";

  /** Storage classes S3 has; memo-s3 stores everything one way, as STANDARD. */
  private static final java.util.Set<String> OTHER_STORAGE_CLASSES =
      java.util.Set.of(
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "OUTPOSTS",
          "GLACIER_IR",
          "SNOW",
          "EXPRESS_ONEZONE");

  /**
   * The standard headers to store, after checking the encryption and storage-class headers: {@code
   * x-amz-server-side-encryption: AES256} is accepted and echoed (everything is encrypted anyway),
   * KMS is not implemented, customer keys are {@link CustomerKeys}' (not with another method);
   * {@code x-amz-storage-class: STANDARD} is accepted, other S3 classes are not implemented,
   * unknown ones are InvalidStorageClass.
   */
  static Map<String, String> standard(Call call) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String h : STORED) {
      call.header(h).ifPresent(v -> out.put(h, v));
    }
    withoutAwsChunked(out);
    out.putIfAbsent("content-type", "binary/octet-stream");
    String sse = call.header(SSE).orElse(null);
    if ((call.header(KMS_KEY_ID).isPresent() || call.header(KMS_CONTEXT).isPresent())
        && !"aws:kms".equals(sse)
        && !"aws:kms:dsse".equals(sse)) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "Server Side Encryption with AWS KMS managed key requires HTTP header"
                  + " x-amz-server-side-encryption : aws:kms")
          .with("ArgumentName", SSE);
    }
    if (call.header(CUSTOMER_ALGORITHM).isEmpty()
        && (call.header(CUSTOMER_KEY).isPresent() || call.header(CUSTOMER_KEY_MD5).isPresent())) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "Requests specifying Server Side Encryption with Customer provided keys must provide"
                  + " a valid encryption algorithm.")
          .with("ArgumentName", SSE);
    }
    if (sse != null) {
      switch (sse) {
        case "AES256" -> out.put(SSE, "AES256");
        case "aws:kms", "aws:kms:dsse" -> throw new S3ErrorException(S3ErrorCode.NOT_IMPLEMENTED);
        default ->
            throw new S3ErrorException(
                    S3ErrorCode.INVALID_ARGUMENT,
                    "The encryption method specified is not supported")
                .with("ArgumentName", SSE);
      }
    }
    if (sse != null && call.header(CUSTOMER_ALGORITHM).isPresent()) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "Server Side Encryption with Customer provided key is incompatible with the"
                  + " encryption method specified")
          .with("ArgumentName", SSE);
    }
    String storageClass = call.header("x-amz-storage-class").orElse(null);
    if (storageClass != null && !storageClass.equals("STANDARD")) {
      if (OTHER_STORAGE_CLASSES.contains(storageClass)) {
        throw new S3ErrorException(S3ErrorCode.NOT_IMPLEMENTED);
      }
      throw new S3ErrorException(
          "InvalidStorageClass", 400, "The storage class you specified is not valid");
    }
    return out;
  }

  /**
   * GET and HEAD refuse {@code x-amz-server-side-encryption}, as S3 does for objects it encrypts
   * with its own keys (400 InvalidArgument): the header belongs to writes.
   */
  static void refuseEncryptionOnRead(Call call) {
    if (call.header(SSE).isPresent()) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "x-amz-server-side-encryption header is not supported for this operation.")
          .with("ArgumentName", SSE);
    }
  }

  /** {@code x-amz-meta-*} headers, names lower-case without the prefix, at most 2 KiB in all. */
  static Map<String, String> user(Call call) {
    Map<String, String> out = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> h : call.exchange().headers().entrySet()) {
      if (h.getKey().startsWith(META)) {
        String name = h.getKey().substring(META.length());
        String value = String.join(",", h.getValue());
        size +=
            name.getBytes(StandardCharsets.UTF_8).length
                + value.getBytes(StandardCharsets.UTF_8).length;
        out.put(name, value);
      }
    }
    if (size > MAX_USER_METADATA) {
      throw new S3ErrorException(S3ErrorCode.METADATA_TOO_LARGE);
    }
    return out;
  }

  static void checkKey(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3ErrorException(S3ErrorCode.KEY_TOO_LONG);
    }
  }

  /** Response headers for stored metadata, with {@code response-*} query overrides applied. */
  static void render(
      Map<String, String> out, Map<String, String> stored, Map<String, String> user, Call call) {
    stored.forEach((k, v) -> out.put(canonical(k), v));
    if (stored.containsKey("content-encoding")) {
      // Objects stored before memo-s3 dropped aws-chunked may still carry it.
      String encoding = withoutAwsChunked(stored.get("content-encoding"));
      if (encoding == null) {
        out.remove("Content-Encoding");
      } else {
        out.put("Content-Encoding", encoding);
      }
    }
    user.forEach((k, v) -> out.put(META + k, v));
    for (String h : STORED) {
      call.query("response-" + h).ifPresent(v -> out.put(canonical(h), v));
    }
  }

  /**
   * Drops {@code aws-chunked} from {@code content-encoding}: it describes how the request body was
   * framed, not the object, and S3 neither stores nor returns it ({@code aws-chunked,gzip} is
   * stored as {@code gzip}; a lone {@code aws-chunked} leaves no header). Applied when storing and
   * again when rendering, for objects stored before memo-s3 dropped it.
   */
  static void withoutAwsChunked(Map<String, String> standard) {
    String encoding = withoutAwsChunked(standard.get("content-encoding"));
    if (encoding == null) {
      standard.remove("content-encoding");
    } else {
      standard.put("content-encoding", encoding);
    }
  }

  /** {@code encoding} without its {@code aws-chunked} token; null when nothing is left. */
  private static String withoutAwsChunked(String encoding) {
    if (encoding == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder();
    for (String token : encoding.split(",")) {
      String t = token.trim();
      if (!t.isEmpty() && !t.equalsIgnoreCase("aws-chunked")) {
        kept.append(kept.isEmpty() ? "" : ",").append(t);
      }
    }
    return kept.isEmpty() ? null : kept.toString();
  }

  private static String canonical(String lower) {
    StringBuilder b = new StringBuilder(lower.length());
    boolean up = true;
    for (char c : lower.toCharArray()) {
      b.append(up ? Character.toUpperCase(c) : c);
      up = c == '-';
    }
    return b.toString().toLowerCase(Locale.ROOT).equals(lower) ? b.toString() : lower;
  }
}
