package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.TaggingRequest;

/** PutObjectTagging: replaces a version's tag set without a new version. */
final class PutObjectTaggingHandler implements Handler {
  private final S3Services s;

  PutObjectTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    TaggingRequest t = S3Xml.read(call.smallBody(), TaggingRequest.class);
    if (t == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    Map<String, String> tags = Tags.of(t.tags());
    String v = s.objects().setTags(call.bucket(), call.key(), ObjectLookup.versionId(call), tags);
    call.respondEmpty(200, Map.of("x-amz-version-id", v));
  }
}
