package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CompleteMultipartUpload;
import org.memos3.frontend.xml.CompleteMultipartUploadResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectStore;

/**
 * CompleteMultipartUpload: validates the chosen parts and commits the object by head CAS; answers
 * with the version id in a versioning-enabled or suspended bucket, as PutObject does. Repeated
 * after it succeeded, with the same parts, it answers as the first time while that version exists.
 */
final class CompleteMultipartUploadHandler implements Handler {
  private final S3Services s;

  CompleteMultipartUploadHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    Bucket bucket = s.ownedBucket(call);
    String uploadId = MultipartHandlers.uploadId(call);
    CompleteMultipartUpload req = S3Xml.read(call.smallBody(), CompleteMultipartUpload.class);
    if (req == null || req.parts() == null || req.parts().isEmpty()) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    for (CompleteMultipartUpload.PartEntry p : req.parts()) {
      if (p.partNumber() == null || p.etag() == null) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
    }
    ObjectHead head;
    Optional<Map.Entry<String, String>> checksum;
    try {
      org.memos3.kv.multipart.Upload upload =
          s.uploads().require(call.bucket(), call.key(), uploadId);
      String alg = upload.checksumAlgorithm();
      CustomerKeys.requireForChecksums(call, upload.customerKeyCheck(), alg);
      // The answer comes from what this completion committed, not from a read after it (the
      // object may already be replaced or deleted).
      AtomicReference<Optional<Map.Entry<String, String>>> computed =
          new AtomicReference<>(Optional.empty());
      head =
          s.uploads()
              .complete(
                  call.bucket(),
                  call.key(),
                  uploadId,
                  parts(req, alg),
                  PutObjectHandler.conditions(call),
                  (u, p) -> {
                    computed.set(MultipartChecksums.of(u, p));
                    return computed.get();
                  });
      checksum = computed.get();
    } catch (KvException e) {
      // A retried completion (its first answer lost) gets the first one's answer.
      if (e.reason() != KvException.Reason.NO_SUCH_UPLOAD) {
        throw e;
      }
      ObjectStore.VersionView done =
          s.uploads()
              .completed(call.bucket(), call.key(), uploadId, parts(req, null))
              .orElseThrow(() -> e);
      head = done.head();
      checksum = CopySource.checksumOf(done.object().manifest());
      if (checksum.isPresent()) {
        CustomerKeys.requireForChecksums(
            call, done.object().manifest().customerKeyCheck(), checksum.get().getKey());
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Content-Type", "application/xml");
    ObjectLookup.writtenVersionHeaders(out, bucket, call.key(), head);
    call.respond(
        200,
        out,
        S3Xml.write(
            CompleteMultipartUploadResult.of(
                "/" + call.bucket() + "/" + call.key(),
                call.bucket(),
                call.key(),
                "\"" + head.etag() + "\"",
                checksum.map(Map.Entry::getKey).orElse(null),
                checksum.map(Map.Entry::getValue).orElse(null),
                checksum.map(c -> MultipartChecksums.typeOf(c.getValue())).orElse(null))));
  }

  /** The chosen parts, with the checksums given for {@code alg} (none when null). */
  private static List<Uploads.CompletedPart> parts(CompleteMultipartUpload req, String alg) {
    List<Uploads.CompletedPart> parts = new ArrayList<>();
    for (CompleteMultipartUpload.PartEntry p : req.parts()) {
      parts.add(
          new Uploads.CompletedPart(
              p.partNumber(), PutObjectHandler.unquote(p.etag()), p.checksum(alg)));
    }
    return parts;
  }
}
