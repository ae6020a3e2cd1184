package org.memos3.frontend.op;

import java.util.Map;

/** DeleteBucketCors: removes the CORS configuration; 204. */
final class DeleteBucketCorsHandler implements Handler {
  private final S3Services s;

  DeleteBucketCorsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.buckets().setCors(call.bucket(), null);
    call.respondEmpty(204, Map.of());
  }
}
