package org.memos3.frontend.op;

import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.VersioningConfiguration;
import org.memos3.kv.bucket.Bucket;

/** GetBucketVersioning: no Status for a bucket that was never versioned. */
final class GetBucketVersioningHandler implements Handler {
  private final S3Services s;

  GetBucketVersioningHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    String status =
        switch (b.versioning()) {
          case UNVERSIONED -> null;
          case ENABLED -> "Enabled";
          case SUSPENDED -> "Suspended";
        };
    call.respondXml(200, new VersioningConfiguration(S3Xml.NS, status, null));
  }
}
