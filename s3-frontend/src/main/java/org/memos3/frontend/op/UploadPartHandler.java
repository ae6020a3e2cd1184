package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.auth.checksum.VerifyingInputStream;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.multipart.Part;

/** UploadPart: streams one part into its own chunks and part manifest. */
final class UploadPartHandler implements Handler {
  private final S3Services s;

  UploadPartHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    org.memos3.kv.bucket.Bucket bucket = s.ownedBucket(call);
    String uploadId = MultipartHandlers.uploadId(call);
    int partNumber = MultipartHandlers.intParam(call, "partNumber", -1, 1, 10_000);
    long declared = call.declaredLength();
    if (declared < 0) {
      throw new S3ErrorException(S3ErrorCode.MISSING_CONTENT_LENGTH);
    }
    if (declared > PutObjectHandler.MAX_SINGLE_PUT) {
      throw new S3ErrorException(S3ErrorCode.ENTITY_TOO_LARGE);
    }
    s.uploads().require(call.bucket(), call.key(), uploadId);
    org.memos3.kv.object.CustomerKey customerKey = CustomerKeys.forWrite(call, bucket);
    VerifyingInputStream body = call.payload();
    Part p =
        s.uploads()
            .uploadPart(
                call.bucket(),
                call.key(),
                uploadId,
                partNumber,
                new PayloadData(body, declared, Map.of(), Map.of()).withCustomerKey(customerKey));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("ETag", "\"" + p.etag() + "\"");
    body.checksumAlgorithm()
        .ifPresent(a -> out.put(a.headerName(), body.checksumBase64().orElseThrow()));
    CustomerKeys.echo(out, call);
    call.respondEmpty(200, out);
  }
}
