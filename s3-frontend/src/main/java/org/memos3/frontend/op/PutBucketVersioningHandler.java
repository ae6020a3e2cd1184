package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.VersioningConfiguration;
import org.memos3.kv.bucket.Versioning;

/** PutBucketVersioning: Enabled or Suspended (MFA delete is not supported). */
final class PutBucketVersioningHandler implements Handler {
  private final S3Services s;

  PutBucketVersioningHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    s.ownedBucket(call);
    VersioningConfiguration cfg = S3Xml.read(call.smallBody(), VersioningConfiguration.class);
    if (cfg == null || cfg.status() == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    if (cfg.mfaDelete() != null && cfg.mfaDelete().equals("Enabled")) {
      throw new S3ErrorException(S3ErrorCode.NOT_IMPLEMENTED);
    }
    Versioning state =
        switch (cfg.status()) {
          case "Enabled" -> Versioning.ENABLED;
          case "Suspended" -> Versioning.SUSPENDED;
          default -> throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
        };
    s.buckets().setVersioning(call.bucket(), state);
    call.respondEmpty(200, Map.of());
  }
}
