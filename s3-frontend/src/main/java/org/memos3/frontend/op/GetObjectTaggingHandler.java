package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.StoredObject;

/** GetObjectTagging (current version or {@code ?versionId}). */
final class GetObjectTaggingHandler implements Handler {
  private final S3Services s;

  GetObjectTaggingHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket bucket = s.ownedBucket(call);
    StoredObject o = ObjectLookup.require(call, s, bucket);
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", "application/xml");
    ObjectLookup.versionHeader(headers, o);
    call.respond(200, headers, org.memos3.frontend.xml.S3Xml.write(Tags.xml(o.head().tags())));
  }
}
