package org.memos3.frontend.op;

import java.util.Map;

/** DeleteObject: 204 whether or not the key existed, as S3 answers. */
final class DeleteObjectHandler implements Handler {
  private final S3Services s;

  DeleteObjectHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.objects().delete(call.bucket(), call.key());
    call.respondEmpty(204, Map.of());
  }
}
