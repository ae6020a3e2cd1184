package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.List;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CompleteMultipartUpload;
import org.memos3.frontend.xml.CompleteMultipartUploadResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectHead;

/** CompleteMultipartUpload: validates the chosen parts and commits the object by head CAS. */
final class CompleteMultipartUploadHandler implements Handler {
  private final S3Services s;

  CompleteMultipartUploadHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    String uploadId = MultipartHandlers.uploadId(call);
    CompleteMultipartUpload req = S3Xml.read(call.smallBody(), CompleteMultipartUpload.class);
    if (req == null || req.parts() == null || req.parts().isEmpty()) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    String alg = s.uploads().require(call.bucket(), call.key(), uploadId).checksumAlgorithm();
    List<Uploads.CompletedPart> parts = new ArrayList<>();
    for (CompleteMultipartUpload.PartEntry p : req.parts()) {
      if (p.partNumber() == null || p.etag() == null) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
      parts.add(
          new Uploads.CompletedPart(
              p.partNumber(), PutObjectHandler.unquote(p.etag()), p.checksum(alg)));
    }
    ObjectHead head =
        s.uploads()
            .complete(
                call.bucket(),
                call.key(),
                uploadId,
                parts,
                PutObjectHandler.conditions(call),
                MultipartChecksums::of);
    var stored = s.objects().findVersion(call.bucket(), call.key(), head.versionId()).orElseThrow();
    var m = stored.object().manifest();
    call.respondXml(
        200,
        CompleteMultipartUploadResult.of(
            "/" + call.bucket() + "/" + call.key(),
            call.bucket(),
            call.key(),
            "\"" + head.etag() + "\"",
            m.checksumAlgorithm(),
            m.checksumValue()));
  }
}
