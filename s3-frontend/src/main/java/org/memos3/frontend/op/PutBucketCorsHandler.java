package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.xml.CorsConfiguration;
import org.memos3.frontend.xml.S3Xml;

/** PutBucketCors: replaces the bucket's CORS rules (validated as S3 does). */
final class PutBucketCorsHandler implements Handler {
  private final S3Services s;

  PutBucketCorsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    CorsConfiguration c = S3Xml.read(call.smallBody(), CorsConfiguration.class);
    s.buckets().setCors(call.bucket(), Cors.rules(c));
    call.respondEmpty(200, Map.of());
  }
}
