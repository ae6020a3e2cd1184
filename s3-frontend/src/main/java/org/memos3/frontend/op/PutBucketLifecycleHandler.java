package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.xml.LifecycleConfiguration;
import org.memos3.frontend.xml.S3Xml;

/**
 * PutBucketLifecycleConfiguration: replaces the bucket's lifecycle rules; the lifecycle job of
 * every node carries them out.
 */
final class PutBucketLifecycleHandler implements Handler {
  private final S3Services s;

  PutBucketLifecycleHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    LifecycleConfiguration c = S3Xml.read(call.smallBody(), LifecycleConfiguration.class);
    s.buckets().setLifecycle(call.bucket(), Lifecycle.rules(c));
    call.respondEmpty(200, Map.of());
  }
}
