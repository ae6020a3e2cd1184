package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.ServerSideEncryptionConfiguration;

/**
 * Get, Put and DeleteBucketEncryption. Every object memo-s3 stores is encrypted (AES-256-GCM under
 * a per-version data key, DESIGN section 5), which S3 calls SSE-S3: GetBucketEncryption gives that
 * configuration for every bucket, as S3 does for buckets since 2023; PutBucketEncryption takes it
 * (and changes nothing) and answers 501 for KMS; DeleteBucketEncryption leaves it, as S3 falls back
 * to SSE-S3.
 */
final class BucketEncryptionHandlers {
  private BucketEncryptionHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(
        S3Operation.GET_BUCKET_ENCRYPTION,
        call -> {
          s.ownedBucket(call);
          call.respondXml(200, ServerSideEncryptionConfiguration.aes256());
        });
    handlers.put(S3Operation.PUT_BUCKET_ENCRYPTION, call -> put(s, call));
    handlers.put(
        S3Operation.DELETE_BUCKET_ENCRYPTION,
        call -> {
          s.ownedBucket(call);
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
    call.respondEmpty(200, Map.of());
  }
}
