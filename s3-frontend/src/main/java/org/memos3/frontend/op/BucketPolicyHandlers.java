package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;

/**
 * Get, Put and DeleteBucketPolicy: the policy is checked when it is put ({@link BucketPolicy}: S3's
 * MalformedPolicy, or 501 for what memo-s3 does not evaluate), kept as given in the bucket record,
 * and given back as it was put. Only the owner (and root) may use them, whatever the policy says.
 */
final class BucketPolicyHandlers {
  private BucketPolicyHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(S3Operation.GET_BUCKET_POLICY, call -> get(s, call));
    handlers.put(S3Operation.PUT_BUCKET_POLICY, call -> put(s, call));
    handlers.put(
        S3Operation.DELETE_BUCKET_POLICY,
        call -> {
          s.ownedBucket(call);
          s.buckets().setPolicy(call.bucket(), null);
          call.respondEmpty(204, Map.of());
        });
  }

  private static void get(S3Services s, Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.policy() == null) {
      throw new S3ErrorException("NoSuchBucketPolicy", 404, "The bucket policy does not exist")
          .with("BucketName", b.name());
    }
    call.respond(
        200,
        Map.of("Content-Type", "application/json"),
        b.policy().getBytes(StandardCharsets.UTF_8));
  }

  private static void put(S3Services s, Call call) throws Exception {
    s.ownedBucket(call);
    byte[] body = call.smallBody();
    if (body.length > BucketPolicy.MAX_BYTES) {
      throw new S3ErrorException(
          "MalformedPolicy", 400, "Policy exceeds the maximum allowed document size.");
    }
    String json = new String(body, StandardCharsets.UTF_8);
    BucketPolicy.parse(json, call.bucket());
    s.buckets().setPolicy(call.bucket(), json);
    call.respondEmpty(204, Map.of());
  }
}
