package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CreateBucketConfiguration;
import org.memos3.frontend.xml.S3Xml;

/**
 * CreateBucket, with an optional {@code CreateBucketConfiguration} naming our region; the caller
 * becomes the owner. The canned ACLs {@code private} and {@code public-read} (the bucket's public
 * flag) are accepted, S3's others 501 NotImplemented, an unknown one 400 InvalidArgument. {@code
 * x-amz-bucket-object-lock-enabled: true} creates the bucket with Object Lock enabled (and so
 * versioning).
 */
final class CreateBucketHandler implements Handler {
  private final S3Services s;

  CreateBucketHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    boolean objectLock =
        call.header("x-amz-bucket-object-lock-enabled")
            .map(v -> v.trim().equalsIgnoreCase("true"))
            .orElse(false);
    boolean publicRead = publicRead(call);
    byte[] body = call.smallBody();
    if (body.length > 0) {
      CreateBucketConfiguration cfg = S3Xml.read(body, CreateBucketConfiguration.class);
      String loc = cfg == null ? null : cfg.locationConstraint();
      if (loc != null && !loc.isEmpty() && !loc.equals(s.region())) {
        throw new S3ErrorException(
            "IllegalLocationConstraintException",
            400,
            "The "
                + loc
                + " location constraint is incompatible for the region specific"
                + " endpoint this request was sent to.");
      }
    }
    s.buckets().create(call.bucket(), call.principal(), publicRead, objectLock);
    call.respondEmpty(200, Map.of("Location", "/" + call.bucket()));
  }

  private static boolean publicRead(Call call) {
    String acl = Acl.cannedOrPrivate(call);
    return switch (acl) {
      case "private" -> false;
      case "public-read" -> true;
      default -> throw Acl.notImplemented(acl);
    };
  }
}
