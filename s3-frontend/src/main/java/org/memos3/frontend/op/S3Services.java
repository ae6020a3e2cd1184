package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Permission;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectStore;

/**
 * What the handlers work with: the key-value services, the gateway's region and the root principal
 * (who may do everything).
 */
public record S3Services(
    Buckets buckets, ObjectStore objects, Uploads uploads, String region, String rootPrincipal) {

  /**
   * The bucket of the call, which the caller must be allowed to use for the call's action ({@link
   * BucketAccess#required}): NoSuchBucket when absent, AccessDenied when not allowed. (The name is
   * from when only owners had access; every bucket action goes through here.)
   */
  public Bucket ownedBucket(Call call) {
    Bucket b = buckets.require(call.bucket());
    authorize(call, b, BucketAccess.required(call.route().operation()));
    return b;
  }

  /** Whether the caller is root or holds OWNER on {@code b} by ownership or grant (no policy). */
  public boolean ownsOrRoot(Call call, Bucket b) {
    String user = call.principal();
    return user != null && (user.equals(rootPrincipal) || b.permissionOf(user) == Permission.OWNER);
  }

  /** AccessDenied unless the caller holds {@code needed} on {@code b}. */
  public void authorize(Call call, Bucket b, Permission needed) {
    if (!BucketAccess.allows(call, b, needed, rootPrincipal)) {
      throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
    }
  }

  /**
   * AccessDenied unless the caller may do {@code action} on {@code key} of {@code b} (a copy's
   * source, one key of DeleteObjects), which ownership and grants cover with {@code needed}.
   */
  public void authorize(Call call, Bucket b, Permission needed, String action, String key) {
    if (!BucketAccess.allows(call, b, needed, rootPrincipal, action, key)) {
      throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
    }
  }
}
