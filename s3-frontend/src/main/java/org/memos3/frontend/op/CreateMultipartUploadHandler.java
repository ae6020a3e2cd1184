package org.memos3.frontend.op;

import org.memos3.frontend.xml.InitiateMultipartUploadResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Upload;

/** CreateMultipartUpload: records the upload with the object's metadata. */
final class CreateMultipartUploadHandler implements Handler {
  private final S3Services s;

  CreateMultipartUploadHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    ObjectHeaders.checkKey(call.key());
    s.ownedBucket(call);
    Upload u =
        s.uploads()
            .create(
                call.bucket(),
                call.key(),
                ObjectHeaders.standard(call),
                ObjectHeaders.user(call),
                call.principal());
    call.respondXml(
        200, new InitiateMultipartUploadResult(S3Xml.NS, call.bucket(), call.key(), u.uploadId()));
  }
}
