package org.memos3.frontend.op;

import java.util.Map;

/** DeleteBucketTagging: removes the bucket's tag set; 204. */
final class DeleteBucketTaggingHandler implements Handler {
  private final S3Services s;

  DeleteBucketTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.buckets().setTags(call.bucket(), Map.of());
    call.respondEmpty(204, Map.of());
  }
}
