package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.kv.bucket.Bucket;

/** GetBucketAcl: the owner's FULL_CONTROL, plus AllUsers READ on a public bucket. */
final class GetBucketAclHandler implements Handler {
  private final S3Services s;

  GetBucketAclHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    Acl.respond(call, b.owner(), b.publicRead(), Map.of());
  }
}
