package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectStore;

/** What the handlers work with: the key-value services and the gateway's region. */
public record S3Services(Buckets buckets, ObjectStore objects, Uploads uploads, String region) {

  /** The bucket of the call, which the caller must own (AccessDenied otherwise). */
  public Bucket ownedBucket(Call call) {
    Bucket b = buckets.require(call.bucket());
    if (!b.owner().equals(call.principal())) {
      throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
    }
    return b;
  }
}
