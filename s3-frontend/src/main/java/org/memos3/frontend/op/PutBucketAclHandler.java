package org.memos3.frontend.op;

import java.util.Map;

/**
 * PutBucketAcl with a canned ACL: {@code public-read} sets the public flag, {@code private} clears
 * it; S3's other canned ACLs are 501 NotImplemented.
 */
final class PutBucketAclHandler implements Handler {
  private final S3Services s;

  PutBucketAclHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    String acl = Acl.canned(call, call.smallBody());
    if (!acl.equals("private") && !acl.equals("public-read")) {
      throw Acl.notImplemented(acl);
    }
    s.buckets().setPublicRead(call.bucket(), acl.equals("public-read"));
    call.respondEmpty(200, Map.of());
  }
}
