package org.memos3.frontend.op;

import java.util.Map;

/** HeadBucket: 200 with the bucket's region, or the error status with no body. */
final class HeadBucketHandler implements Handler {
  private final S3Services s;

  HeadBucketHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    call.respondEmpty(200, Map.of("x-amz-bucket-region", s.region()));
  }
}
