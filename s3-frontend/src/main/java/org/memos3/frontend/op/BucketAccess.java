package org.memos3.frontend.op;

import java.util.EnumSet;
import java.util.List;
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
          GET_OBJECT_RETENTION,
          GET_OBJECT_LEGAL_HOLD,
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

  /**
   * True when the caller of {@code call} may do what {@code needed} covers on {@code b}: the call's
   * own action ({@link #action}) on its own key.
   */
  static boolean allows(Call call, Bucket b, Permission needed, String rootPrincipal) {
    // The action only matters to a policy: most buckets have none, and every request comes here.
    String action = b.policy() == null ? null : action(call);
    boolean allowed = allows(call, b, needed, rootPrincipal, action, call.key());
    if (allowed
        && action != null
        && call.route().operation() == S3Operation.GET_OBJECT_ATTRIBUTES) {
      // As on S3, the attributes also need the object's own read action.
      String read = call.query("versionId").isPresent() ? "s3:GetObjectVersion" : "s3:GetObject";
      allowed = allows(call, b, needed, rootPrincipal, read, call.key());
    }
    return allowed;
  }

  /**
   * True when the caller of {@code call} may do {@code action} on {@code key} of {@code b} (the
   * bucket itself when {@code key} is null), which its owner and grants cover with {@code needed}:
   * the root principal always; the policy operations by ownership alone (no policy locks its owner
   * out or hands itself to others); else a Deny of the bucket's policy refuses, an Allow grants (to
   * an anonymous caller only the reads of {@link #ANONYMOUS}), and otherwise ownership, grants and
   * the public flag decide. A null {@code action} (no policy, or an action none covers) leaves it
   * to ownership, grants and the public flag.
   */
  static boolean allows(
      Call call, Bucket b, Permission needed, String rootPrincipal, String action, String key) {
    String user = call.principal();
    if (user != null && user.equals(rootPrincipal)) {
      return true;
    }
    Permission held = user == null ? null : b.permissionOf(user);
    boolean byAcl =
        user == null
            ? b.publicRead()
                && needed == Permission.READ
                && ANONYMOUS.contains(call.route().operation())
            : held != null && held.allows(needed);
    if (b.policy() == null || action == null || action.endsWith("BucketPolicy")) {
      // The policy itself is the owner's (and root's) whatever it says: it can neither lock its
      // owner out nor hand itself to others.
      return byAcl;
    }
    BucketPolicy.Decision d =
        BucketPolicy.of(b.policy(), b.name())
            .decide(user, action, BucketPolicy.arn(b.name(), key), context(call));
    if (d == BucketPolicy.Decision.DENY) {
      return false;
    }
    if (d == BucketPolicy.Decision.ALLOW) {
      return user != null || ANONYMOUS.contains(call.route().operation());
    }
    return byAcl;
  }

  /**
   * The IAM action of the call's request, as a bucket policy names it; null for actions that no
   * bucket policy covers (ListBuckets, CreateBucket).
   */
  static String action(Call call) {
    boolean version = call.query("versionId").isPresent();
    return switch (call.route().operation()) {
      case GET_OBJECT, HEAD_OBJECT -> version ? "s3:GetObjectVersion" : "s3:GetObject";
      case GET_OBJECT_ATTRIBUTES ->
          version ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes";
      case PUT_OBJECT,
          POST_OBJECT,
          COPY_OBJECT,
          CREATE_MULTIPART_UPLOAD,
          UPLOAD_PART,
          UPLOAD_PART_COPY,
          COMPLETE_MULTIPART_UPLOAD ->
          "s3:PutObject";
      case DELETE_OBJECT, DELETE_OBJECTS -> version ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
      case ABORT_MULTIPART_UPLOAD -> "s3:AbortMultipartUpload";
      case LIST_PARTS -> "s3:ListMultipartUploadParts";
      case LIST_MULTIPART_UPLOADS -> "s3:ListBucketMultipartUploads";
      case HEAD_BUCKET, LIST_OBJECTS, LIST_OBJECTS_V2 -> "s3:ListBucket";
      case LIST_OBJECT_VERSIONS -> "s3:ListBucketVersions";
      case GET_BUCKET_LOCATION -> "s3:GetBucketLocation";
      case GET_BUCKET_VERSIONING -> "s3:GetBucketVersioning";
      case PUT_BUCKET_VERSIONING -> "s3:PutBucketVersioning";
      case GET_OBJECT_TAGGING -> version ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging";
      case PUT_OBJECT_TAGGING -> version ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging";
      case DELETE_OBJECT_TAGGING ->
          version ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging";
      case GET_OBJECT_RETENTION -> "s3:GetObjectRetention";
      case PUT_OBJECT_RETENTION -> "s3:PutObjectRetention";
      case GET_OBJECT_LEGAL_HOLD -> "s3:GetObjectLegalHold";
      case PUT_OBJECT_LEGAL_HOLD -> "s3:PutObjectLegalHold";
      case GET_OBJECT_LOCK_CONFIG -> "s3:GetBucketObjectLockConfiguration";
      case PUT_OBJECT_LOCK_CONFIG -> "s3:PutBucketObjectLockConfiguration";
      case GET_OBJECT_ACL -> version ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl";
      case PUT_OBJECT_ACL -> version ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl";
      case GET_BUCKET_TAGGING -> "s3:GetBucketTagging";
      case PUT_BUCKET_TAGGING, DELETE_BUCKET_TAGGING -> "s3:PutBucketTagging";
      case GET_BUCKET_ACL -> "s3:GetBucketAcl";
      case PUT_BUCKET_ACL -> "s3:PutBucketAcl";
      case GET_BUCKET_CORS -> "s3:GetBucketCORS";
      case PUT_BUCKET_CORS, DELETE_BUCKET_CORS -> "s3:PutBucketCORS";
      case GET_BUCKET_LIFECYCLE -> "s3:GetLifecycleConfiguration";
      case PUT_BUCKET_LIFECYCLE, DELETE_BUCKET_LIFECYCLE -> "s3:PutLifecycleConfiguration";
      case GET_BUCKET_ABSENT_CONFIG, PUT_BUCKET_ABSENT_CONFIG, DELETE_BUCKET_ABSENT_CONFIG ->
          AbsentConfigurations.action(call);
      case GET_BUCKET_ENCRYPTION -> "s3:GetEncryptionConfiguration";
      case PUT_BUCKET_ENCRYPTION, DELETE_BUCKET_ENCRYPTION -> "s3:PutEncryptionConfiguration";
      case GET_BUCKET_POLICY -> "s3:GetBucketPolicy";
      case PUT_BUCKET_POLICY -> "s3:PutBucketPolicy";
      case DELETE_BUCKET_POLICY -> "s3:DeleteBucketPolicy";
      case DELETE_BUCKET -> "s3:DeleteBucket";
      default -> null;
    };
  }

  /**
   * The condition keys of {@code call}'s request, as a bucket policy's Conditions and variables
   * read them ({@link PolicyCondition#KEYS}); each computed when asked. {@code aws:SourceIp} is the
   * TCP peer: behind a proxy, the proxy.
   */
  static PolicyCondition.Context context(Call call) {
    return key ->
        switch (key) {
          case "aws:securetransport" -> List.of(Boolean.toString(call.exchange().secure()));
          case "aws:sourceip" -> one(call.exchange().remoteAddress());
          case "aws:currenttime" -> List.of(java.time.Instant.now().toString());
          case "aws:epochtime" -> List.of(Long.toString(java.time.Instant.now().getEpochSecond()));
          case "aws:username" -> one(call.principal());
          case "aws:principaltype" -> List.of(call.isAnonymous() ? "Anonymous" : "User");
          case "aws:useragent" -> one(call.exchange().transportHeader("user-agent").orElse(null));
          case "aws:referer" -> one(call.exchange().transportHeader("referer").orElse(null));
          case "s3:prefix", "s3:delimiter", "s3:max-keys" ->
              one(call.query(key.substring(3)).orElse(null));
          case "s3:signatureversion" -> call.isAnonymous() ? null : List.of("AWS4-HMAC-SHA256");
          default ->
              key.startsWith("s3:x-amz-") ? one(call.header(key.substring(3)).orElse(null)) : null;
        };
  }

  private static List<String> one(String v) {
    return v == null ? null : List.of(v);
  }

  /** True when the caller sees {@code b} in ListBuckets: root sees all, users what they hold. */
  static boolean lists(Call call, Bucket b, String rootPrincipal) {
    return !call.isAnonymous()
        && (call.principal().equals(rootPrincipal) || b.permissionOf(call.principal()) != null);
  }
}
