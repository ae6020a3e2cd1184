package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;

/**
 * S3's AccessControlPolicy as memo-s3 has it: the owner's FULL_CONTROL, plus READ for AllUsers on a
 * public bucket. Written by hand: Jackson cannot write the {@code xsi:type} attribute with S3's
 * prefix. Only canned ACLs can be given: on a bucket {@code private} and {@code public-read} (its
 * public flag), on an object those that change nothing ({@link #objectAclIsNoOp}).
 */
final class Acl {
  static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private Acl() {}

  /** The AccessControlPolicy document of something owned by {@code owner}. */
  static byte[] policy(String owner, boolean publicRead) {
    String o = escape(owner);
    StringBuilder x = new StringBuilder(640);
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<AccessControlPolicy xmlns=\"")
        .append(S3Xml.NS)
        .append("\"><Owner><ID>")
        .append(o)
        .append("</ID><DisplayName>")
        .append(o)
        .append("</DisplayName></Owner><AccessControlList>")
        .append("<Grant><Grantee xmlns:xsi=\"")
        .append(XSI)
        .append("\" xsi:type=\"CanonicalUser\"><ID>")
        .append(o)
        .append("</ID><DisplayName>")
        .append(o)
        .append("</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>");
    if (publicRead) {
      x.append("<Grant><Grantee xmlns:xsi=\"")
          .append(XSI)
          .append("\" xsi:type=\"Group\"><URI>")
          .append(ALL_USERS)
          .append("</URI></Grantee><Permission>READ</Permission></Grant>");
    }
    x.append("</AccessControlList></AccessControlPolicy>");
    return x.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void respond(Call call, String owner, boolean publicRead, Map<String, String> headers) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put("Content-Type", "application/xml");
    call.respond(200, h, policy(owner, publicRead));
  }

  /** S3's canned ACLs; any other {@code x-amz-acl} is InvalidArgument. */
  private static final Set<String> CANNED =
      Set.of(
          "private",
          "public-read",
          "public-read-write",
          "authenticated-read",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control",
          "log-delivery-write");

  /**
   * Canned ACLs that say nothing more of an object than memo-s3 does: its bucket's owner has full
   * control of it (and objects take their access from their bucket).
   */
  private static final Set<String> OBJECT_NO_OPS =
      Set.of("private", "bucket-owner-full-control", "bucket-owner-read");

  /**
   * The canned ACL of a PutBucketAcl / PutObjectAcl request ({@code x-amz-acl}), one of S3's (an
   * unknown one is InvalidArgument); the caller refuses the ones it cannot honour. ACL bodies and
   * {@code x-amz-grant-*} headers are NotImplemented; no ACL at all is S3's MissingSecurityHeader.
   */
  static String canned(Call call, byte[] body) {
    String acl = call.header("x-amz-acl").map(String::trim).orElse(null);
    if (hasGrants(call) || (acl == null && body.length > 0)) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED,
          "Only canned ACLs are supported, not ACL documents or grant headers.");
    }
    if (acl == null) {
      throw new S3ErrorException(
          "MissingSecurityHeader", 400, "Your request was missing a required header");
    }
    if (body.length > 0) {
      throw new S3ErrorException("UnexpectedContent", 400, "This request does not support content");
    }
    return known(acl);
  }

  /**
   * The canned ACL of a CreateBucket ({@code private} when none), one of S3's; {@code
   * x-amz-grant-*} headers are NotImplemented, as on object writes.
   */
  static String cannedOrPrivate(Call call) {
    if (hasGrants(call)) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED, "Only canned ACLs are supported, not grant headers.");
    }
    return known(call.header("x-amz-acl").map(String::trim).orElse("private"));
  }

  /**
   * Checks the ACL headers of an object write (PutObject, CreateMultipartUpload, CopyObject):
   * {@code private}, {@code bucket-owner-full-control} and {@code bucket-owner-read} are accepted
   * and change nothing (see {@link #objectAclIsNoOp}); another canned ACL and any {@code
   * x-amz-grant-*} header are NotImplemented; an unknown ACL is InvalidArgument.
   */
  static void checkObjectWrite(Call call) {
    Optional<String> acl = call.header("x-amz-acl").map(String::trim);
    if (acl.isPresent() && !objectAclIsNoOp(known(acl.get()))) {
      throw notImplemented(acl.get());
    }
    if (hasGrants(call)) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED,
          "Objects take their access from their bucket: grant headers are not supported.");
    }
  }

  /** Whether the canned ACL {@code acl} of an object is what memo-s3 gives every object anyway. */
  static boolean objectAclIsNoOp(String acl) {
    return OBJECT_NO_OPS.contains(acl);
  }

  /** NotImplemented for a canned ACL memo-s3 cannot honour here. */
  static S3ErrorException notImplemented(String acl) {
    return new S3ErrorException(
        S3ErrorCode.NOT_IMPLEMENTED, "The canned ACL " + acl + " is not supported here.");
  }

  private static String known(String acl) {
    if (!CANNED.contains(acl)) {
      throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", "x-amz-acl");
    }
    return acl;
  }

  private static boolean hasGrants(Call call) {
    return call.exchange().headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-grant-"));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
