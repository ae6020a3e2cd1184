package org.memos3.frontend.op;

import org.memos3.frontend.xml.LocationConstraint;
import org.memos3.frontend.xml.S3Xml;

/** GetBucketLocation: empty for us-east-1, as S3 answers; the region otherwise. */
final class GetBucketLocationHandler implements Handler {
  private final S3Services s;

  GetBucketLocationHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    String region = s.region().equals("us-east-1") ? null : s.region();
    call.respondXml(200, new LocationConstraint(S3Xml.NS, region));
  }
}
