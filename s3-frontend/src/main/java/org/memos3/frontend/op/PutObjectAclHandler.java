package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.StoredObject;

/**
 * PutObjectAcl: objects have no ACL of their own, so only the canned {@code private} is accepted (a
 * no-op); everything else is NotImplemented.
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
    StoredObject o = ObjectLookup.require(call, s, bucket);
    if (!acl.equals("private")) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED,
          "Objects take their access from their bucket: only the canned ACL private is supported.");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ObjectLookup.versionHeader(headers, o);
    call.respondEmpty(200, headers);
  }
}
