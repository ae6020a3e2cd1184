package org.memos3.frontend.op;

import java.util.Map;

/**
 * Registers the handlers of the bucket configurations: tagging, ACLs, CORS, lifecycle, policy and
 * encryption.
 */
final class BucketConfigHandlers {
  private BucketConfigHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(S3Operation.GET_BUCKET_TAGGING, new GetBucketTaggingHandler(s));
    handlers.put(S3Operation.PUT_BUCKET_TAGGING, new PutBucketTaggingHandler(s));
    handlers.put(S3Operation.DELETE_BUCKET_TAGGING, new DeleteBucketTaggingHandler(s));
    handlers.put(S3Operation.GET_BUCKET_ACL, new GetBucketAclHandler(s));
    handlers.put(S3Operation.PUT_BUCKET_ACL, new PutBucketAclHandler(s));
    handlers.put(S3Operation.GET_OBJECT_ACL, new GetObjectAclHandler(s));
    handlers.put(S3Operation.PUT_OBJECT_ACL, new PutObjectAclHandler(s));
    handlers.put(S3Operation.GET_BUCKET_CORS, new GetBucketCorsHandler(s));
    handlers.put(S3Operation.PUT_BUCKET_CORS, new PutBucketCorsHandler(s));
    handlers.put(S3Operation.DELETE_BUCKET_CORS, new DeleteBucketCorsHandler(s));
    handlers.put(S3Operation.GET_BUCKET_LIFECYCLE, new GetBucketLifecycleHandler(s));
    handlers.put(S3Operation.PUT_BUCKET_LIFECYCLE, new PutBucketLifecycleHandler(s));
    handlers.put(S3Operation.DELETE_BUCKET_LIFECYCLE, new DeleteBucketLifecycleHandler(s));
    BucketPolicyHandlers.register(handlers, s);
    BucketEncryptionHandlers.register(handlers, s);
    AbsentConfigurations.register(handlers, s);
  }
}
