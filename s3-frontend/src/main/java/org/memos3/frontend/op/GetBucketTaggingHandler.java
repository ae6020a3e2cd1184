package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;

/** GetBucketTagging: the bucket's tag set, or 404 NoSuchTagSet when it has none. */
final class GetBucketTaggingHandler implements Handler {
  private final S3Services s;

  GetBucketTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.tags().isEmpty()) {
      throw new S3ErrorException(S3ErrorCode.NO_SUCH_TAG_SET).with("BucketName", b.name());
    }
    call.respondXml(200, Tags.xml(b.tags()));
  }
}
