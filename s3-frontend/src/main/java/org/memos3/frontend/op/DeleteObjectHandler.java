package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.kv.object.ObjectStore;

/**
 * DeleteObject: 204 whether or not the key existed, as S3 answers. Without a version id it removes
 * the object (unversioned) or adds a delete marker (versioned); with one it removes that version
 * for good, unless Object Lock protects it (403 AccessDenied; {@code
 * x-amz-bypass-governance-retention: true} lifts a GOVERNANCE retention for the bucket's owner).
 */
final class DeleteObjectHandler implements Handler {
  private final S3Services s;

  DeleteObjectHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    org.memos3.kv.bucket.Bucket b = s.ownedBucket(call);
    String versionId = ObjectLookup.versionId(call);
    ObjectStore.Deletion d =
        versionId == null
            ? s.objects().delete(call.bucket(), call.key())
            : s.objects()
                .deleteVersion(
                    call.bucket(), call.key(), versionId, ObjectLockHandlers.bypass(s, call, b));
    call.respondEmpty(204, headers(d));
  }

  static Map<String, String> headers(ObjectStore.Deletion d) {
    Map<String, String> out = new LinkedHashMap<>();
    if (d.versionId() != null) {
      out.put("x-amz-version-id", d.versionId());
    }
    if (d.deleteMarker()) {
      out.put("x-amz-delete-marker", "true");
    }
    return out;
  }
}
