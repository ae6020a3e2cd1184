package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.List;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.DeleteRequest;
import org.memos3.frontend.xml.DeleteResult;
import org.memos3.frontend.xml.S3Xml;

/** DeleteObjects: up to 1,000 keys, quiet mode, per-key errors. */
final class DeleteObjectsHandler implements Handler {
  static final int MAX_KEYS = 1000;
  private final S3Services s;

  DeleteObjectsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    // With a bucket policy, each key is authorized on its own (as S3 does): a refused key is an
    // AccessDenied entry of the result, not a refusal of the whole request.
    org.memos3.kv.bucket.Bucket b = s.buckets().require(call.bucket());
    if (b.policy() == null) {
      s.authorize(call, b, BucketAccess.required(S3Operation.DELETE_OBJECTS));
    }
    DeleteRequest req = S3Xml.read(call.smallBody(), DeleteRequest.class);
    if (req == null
        || req.objects() == null
        || req.objects().isEmpty()
        || req.objects().size() > MAX_KEYS) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    boolean quiet = Boolean.TRUE.equals(req.quiet());
    boolean bypass = ObjectLockHandlers.bypass(s, call, b);
    List<DeleteResult.Deleted> deleted = new ArrayList<>();
    List<DeleteResult.KeyError> errors = new ArrayList<>();
    for (DeleteRequest.ObjectId id : req.objects()) {
      if (id.key() == null || id.key().isEmpty()) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
      try {
        if (b.policy() != null) {
          boolean byVersion = id.versionId() != null && !id.versionId().isEmpty();
          s.authorize(
              call,
              b,
              BucketAccess.required(S3Operation.DELETE_OBJECTS),
              byVersion ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
              id.key());
        }
        org.memos3.kv.object.ObjectStore.Deletion d =
            id.versionId() == null || id.versionId().isEmpty()
                ? s.objects().delete(call.bucket(), id.key())
                : s.objects().deleteVersion(call.bucket(), id.key(), id.versionId(), bypass);
        if (!quiet) {
          boolean marker = d.deleteMarker();
          boolean byVersion = id.versionId() != null && !id.versionId().isEmpty();
          deleted.add(
              new DeleteResult.Deleted(
                  id.key(),
                  byVersion ? id.versionId() : null,
                  marker ? Boolean.TRUE : null,
                  marker ? d.versionId() : null));
        }
      } catch (RuntimeException e) {
        S3ErrorException err = ErrorResponder.translate(e, call.exchange());
        String v = id.versionId() == null || id.versionId().isEmpty() ? null : id.versionId();
        errors.add(new DeleteResult.KeyError(id.key(), v, err.code(), err.getMessage()));
      }
    }
    call.respondXml(200, new DeleteResult(S3Xml.NS, deleted, errors));
  }
}
