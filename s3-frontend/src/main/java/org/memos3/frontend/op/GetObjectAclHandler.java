package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.StoredObject;

/**
 * GetObjectAcl (current version or {@code ?versionId}): objects belong to the bucket owner; a
 * public bucket's objects are readable by AllUsers.
 */
final class GetObjectAclHandler implements Handler {
  private final S3Services s;

  GetObjectAclHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    StoredObject o = ObjectLookup.require(call, s, b);
    Map<String, String> headers = new LinkedHashMap<>();
    ObjectLookup.versionHeader(headers, o);
    Acl.respond(call, b.owner(), b.publicRead(), headers);
  }
}
