package org.memos3.frontend.op;

import java.util.Map;

/** DeleteBucket: only an empty bucket (no objects, versions or uploads). */
final class DeleteBucketHandler implements Handler {
  private final S3Services s;

  DeleteBucketHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.buckets().delete(call.bucket());
    call.respondEmpty(204, Map.of());
  }
}
