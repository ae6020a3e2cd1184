package org.memos3.frontend.op;

import java.util.EnumSet;
import java.util.Set;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Permission;

/**
 * Who may do what on a bucket: the permission each S3 action needs, and the decision for a caller
 * against a bucket's owner, grants and public flag. The root principal may do everything; a user
 * needs the bucket's OWNER (it created it) or a grant; an anonymous caller may only use {@link
 * #ANONYMOUS} actions on a public bucket. Owns no state; reading the bucket is the caller's job.
 */
final class BucketAccess {
  /** What an anonymous request may do, on a public bucket only. */
  static final Set<S3Operation> ANONYMOUS =
      EnumSet.of(
          S3Operation.GET_OBJECT,
          S3Operation.GET_OBJECT_ATTRIBUTES,
          S3Operation.HEAD_OBJECT,
          S3Operation.HEAD_BUCKET,
          S3Operation.LIST_OBJECTS,
          S3Operation.LIST_OBJECTS_V2);

  private BucketAccess() {}

  /**
   * The permission {@code op} needs on its bucket. An action not listed needs OWNER, so a new
   * action is closed until someone decides otherwise.
   */
  static Permission required(S3Operation op) {
    return switch (op) {
      case HEAD_BUCKET,
          GET_BUCKET_LOCATION,
          GET_BUCKET_VERSIONING,
          LIST_OBJECTS,
          LIST_OBJECTS_V2,
          LIST_OBJECT_VERSIONS,
          GET_OBJECT,
          GET_OBJECT_ATTRIBUTES,
          HEAD_OBJECT ->
          Permission.READ;
      case PUT_OBJECT,
          POST_OBJECT,
          COPY_OBJECT,
          DELETE_OBJECT,
          DELETE_OBJECTS,
          CREATE_MULTIPART_UPLOAD,
          UPLOAD_PART,
          UPLOAD_PART_COPY,
          COMPLETE_MULTIPART_UPLOAD,
          ABORT_MULTIPART_UPLOAD,
          LIST_PARTS,
          LIST_MULTIPART_UPLOADS ->
          Permission.WRITE;
      default -> Permission.OWNER;
    };
  }

  /** True when the caller of {@code call} may do what {@code needed} covers on {@code b}. */
  static boolean allows(Call call, Bucket b, Permission needed, String rootPrincipal) {
    if (call.isAnonymous()) {
      return b.publicRead()
          && needed == Permission.READ
          && ANONYMOUS.contains(call.route().operation());
    }
    if (call.principal().equals(rootPrincipal)) {
      return true;
    }
    Permission held = b.permissionOf(call.principal());
    return held != null && held.allows(needed);
  }

  /** True when the caller sees {@code b} in ListBuckets: root sees all, users what they hold. */
  static boolean lists(Call call, Bucket b, String rootPrincipal) {
    return !call.isAnonymous()
        && (call.principal().equals(rootPrincipal) || b.permissionOf(call.principal()) != null);
  }
}
