package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.TaggingRequest;

/** PutBucketTagging: replaces the bucket's tag set (up to 50 tags); 204 as S3. */
final class PutBucketTaggingHandler implements Handler {
  static final int MAX_TAGS = 50;

  private final S3Services s;

  PutBucketTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    TaggingRequest t = S3Xml.read(call.smallBody(), TaggingRequest.class);
    if (t == null || t.tagSet == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    Map<String, String> tags =
        Tags.of(t.tags(), MAX_TAGS, "Bucket tag count cannot be greater than " + MAX_TAGS);
    for (String k : tags.keySet()) {
      if (k.startsWith("aws:")) {
        throw new S3ErrorException(
            "InvalidTag", 400, "System tags cannot be added/updated by requester");
      }
    }
    s.buckets().setTags(call.bucket(), tags);
    call.respondEmpty(204, Map.of());
  }
}
