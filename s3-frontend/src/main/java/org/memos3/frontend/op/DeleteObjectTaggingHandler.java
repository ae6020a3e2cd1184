package org.memos3.frontend.op;

import java.util.Map;

/** DeleteObjectTagging: 204, the version keeps no tags. */
final class DeleteObjectTaggingHandler implements Handler {
  private final S3Services s;

  DeleteObjectTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    String v =
        s.objects().setTags(call.bucket(), call.key(), ObjectLookup.versionId(call), Map.of());
    call.respondEmpty(204, Map.of("x-amz-version-id", v));
  }
}
