package org.memos3.frontend.op;

import org.memos3.frontend.xml.InitiateMultipartUploadResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Upload;

/**
 * CreateMultipartUpload: records the upload with the object's metadata, checksum algorithm and the
 * tags of {@code x-amz-tagging} (validated as PutObject does), which the completed object carries.
 */
final class CreateMultipartUploadHandler implements Handler {
  private final S3Services s;

  CreateMultipartUploadHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    ObjectHeaders.checkKey(call.key());
    org.memos3.kv.bucket.Bucket bucket = s.ownedBucket(call);
    Acl.checkObjectWrite(call);
    org.memos3.kv.object.ObjectLock lock = ObjectLockHandlers.fromHeaders(call, bucket);
    org.memos3.kv.object.CustomerKey customerKey = CustomerKeys.forWrite(call, bucket);
    String[] checksum = MultipartChecksums.fromCreate(call);
    java.util.Map<String, String> tags = Tags.fromHeader(call);
    Upload u =
        s.uploads()
            .create(
                call.bucket(),
                call.key(),
                ObjectHeaders.standard(call),
                ObjectHeaders.user(call),
                call.principal(),
                checksum[0],
                checksum[1],
                tags,
                lock,
                customerKey);
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", "application/xml");
    if (checksum[0] != null) {
      headers.put("x-amz-checksum-algorithm", checksum[0]);
      headers.put("x-amz-checksum-type", checksum[1]);
    }
    CustomerKeys.echo(headers, call);
    call.respond(
        200,
        headers,
        S3Xml.write(
            new InitiateMultipartUploadResult(S3Xml.NS, call.bucket(), call.key(), u.uploadId())));
  }
}
