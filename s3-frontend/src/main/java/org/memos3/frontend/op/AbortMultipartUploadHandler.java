package org.memos3.frontend.op;

import java.util.Map;

/** AbortMultipartUpload: 204; the parts' blocks go to GC. */
final class AbortMultipartUploadHandler implements Handler {
  private final S3Services s;

  AbortMultipartUploadHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    s.uploads().abort(call.bucket(), call.key(), MultipartHandlers.uploadId(call));
    call.respondEmpty(204, Map.of());
  }
}
