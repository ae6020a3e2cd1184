package org.memos3.frontend.op;

import java.util.List;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.ServerSideEncryptionConfiguration;
import org.memos3.kv.bucket.Bucket;

/**
 * Get, Put and DeleteBucketEncryption. Every object memo-s3 stores is encrypted (AES-256-GCM under
 * a per-version data key, DESIGN section 5), which S3 calls SSE-S3: GetBucketEncryption gives that
 * configuration for every bucket, as S3 does for buckets since 2023; PutBucketEncryption takes it
 * (and changes nothing) and answers 501 for KMS; DeleteBucketEncryption leaves it, as S3 falls back
 * to SSE-S3. Each rule's BlockedEncryptionTypes is whether SSE-C may be used for new objects:
 * blocked ({@code SSE-C}) by default, as on S3 since 2026, unblocked with {@code NONE}; Delete
 * blocks it again.
 */
final class BucketEncryptionHandlers {
  private BucketEncryptionHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(
        S3Operation.GET_BUCKET_ENCRYPTION,
        call -> {
          Bucket b = s.ownedBucket(call);
          call.respondXml(200, ServerSideEncryptionConfiguration.aes256(b.sseCustomerAllowed()));
        });
    handlers.put(S3Operation.PUT_BUCKET_ENCRYPTION, call -> put(s, call));
    handlers.put(
        S3Operation.DELETE_BUCKET_ENCRYPTION,
        call -> {
          Bucket b = s.ownedBucket(call);
          if (b.sseCustomerAllowed()) {
            s.buckets().setSseCustomerAllowed(call.bucket(), false);
          }
          call.respondEmpty(204, Map.of());
        });
  }

  private static void put(S3Services s, Call call) throws Exception {
    s.ownedBucket(call);
    ServerSideEncryptionConfiguration c =
        S3Xml.read(call.smallBody(), ServerSideEncryptionConfiguration.class);
    if (c == null || c.rules == null || c.rules.size() != 1 || c.rules.get(0).byDefault == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    String alg = c.rules.get(0).byDefault.algorithm;
    if ("aws:kms".equals(alg) || "aws:kms:dsse".equals(alg)) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED, "memo-s3 encrypts with its own keys; KMS is not supported.");
    }
    if (!"AES256".equals(alg)) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    if (c.rules.get(0).byDefault.kmsMasterKeyId != null) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_ARGUMENT,
          "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms");
    }
    ServerSideEncryptionConfiguration.Blocked blocked = c.rules.get(0).blocked;
    if (blocked != null) {
      List<String> types = blocked.types == null ? List.of() : blocked.types;
      boolean none = types.contains("NONE");
      boolean sseC = types.contains("SSE-C");
      if (none == sseC || types.stream().anyMatch(t -> !t.equals("NONE") && !t.equals("SSE-C"))) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
      s.buckets().setSseCustomerAllowed(call.bucket(), none);
    }
    call.respondEmpty(200, Map.of());
  }
}
