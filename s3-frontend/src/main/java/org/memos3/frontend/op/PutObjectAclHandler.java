package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.StoredObject;

/**
 * PutObjectAcl: objects have no ACL of their own, so only the canned ACLs that change nothing are
 * accepted ({@code private}, {@code bucket-owner-full-control}, {@code bucket-owner-read}); every
 * other is NotImplemented.
 */
final class PutObjectAclHandler implements Handler {
  private final S3Services s;

  PutObjectAclHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    Bucket bucket = s.ownedBucket(call);
    String acl = Acl.canned(call, call.smallBody());
    // The request is refused for what it asks before the object is looked up, as grant headers.
    if (!Acl.objectAclIsNoOp(acl)) {
      throw Acl.notImplemented(acl);
    }
    StoredObject o = ObjectLookup.require(call, s, bucket);
    Map<String, String> headers = new LinkedHashMap<>();
    ObjectLookup.versionHeader(headers, o);
    call.respondEmpty(200, headers);
  }
}
