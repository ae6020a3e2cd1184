package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;

/** GetBucketCors: the bucket's CORS rules, or 404 NoSuchCORSConfiguration. */
final class GetBucketCorsHandler implements Handler {
  private final S3Services s;

  GetBucketCorsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.cors() == null) {
      throw new S3ErrorException(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION)
          .with("BucketName", b.name());
    }
    call.respondXml(200, Cors.xml(b.cors()));
  }
}
