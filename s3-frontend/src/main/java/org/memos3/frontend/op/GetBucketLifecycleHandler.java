package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;

/** GetBucketLifecycleConfiguration: the rules, or 404 NoSuchLifecycleConfiguration. */
final class GetBucketLifecycleHandler implements Handler {
  private final S3Services s;

  GetBucketLifecycleHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.lifecycle() == null) {
      throw new S3ErrorException(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION)
          .with("BucketName", b.name());
    }
    call.respondXml(200, Lifecycle.xml(b.lifecycle()));
  }
}
