package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;

/**
 * S3's AccessControlPolicy as memo-s3 has it: the owner's FULL_CONTROL, plus READ for AllUsers on a
 * public bucket. Written by hand: Jackson cannot write the {@code xsi:type} attribute with S3's
 * prefix. Only the canned ACLs {@code private} and {@code public-read} can be set.
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

  /**
   * The canned ACL of a PutBucketAcl / PutObjectAcl request ({@code x-amz-acl}). ACL bodies and
   * {@code x-amz-grant-*} headers are NotImplemented; no ACL at all is S3's MissingSecurityHeader.
   */
  static String canned(Call call, byte[] body) {
    boolean grants =
        call.exchange().headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-grant-"));
    String acl = call.header("x-amz-acl").map(String::trim).orElse(null);
    if (grants || (acl == null && body.length > 0)) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED,
          "Only the canned ACLs private and public-read are supported, not ACL documents or"
              + " grant headers.");
    }
    if (acl == null) {
      throw new S3ErrorException(
          "MissingSecurityHeader", 400, "Your request was missing a required header");
    }
    if (body.length > 0) {
      throw new S3ErrorException("UnexpectedContent", 400, "This request does not support content");
    }
    return switch (acl) {
      case "private", "public-read" -> acl;
      case "public-read-write",
          "authenticated-read",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control",
          "log-delivery-write" ->
          throw new S3ErrorException(
              S3ErrorCode.NOT_IMPLEMENTED,
              "Only the canned ACLs private and public-read are supported.");
      default ->
          throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT)
              .with("ArgumentName", "x-amz-acl");
    };
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
