package org.memos3.frontend.op;

import java.util.Map;

/** DeleteBucketLifecycle: removes the lifecycle configuration; 204. */
final class DeleteBucketLifecycleHandler implements Handler {
  private final S3Services s;

  DeleteBucketLifecycleHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.buckets().setLifecycle(call.bucket(), null);
    call.respondEmpty(204, Map.of());
  }
}
