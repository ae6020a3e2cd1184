package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.lifecycle.LifecycleRunner;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.StoredObject;

/**
 * Finds the object version a GET or HEAD names (the current one, or {@code ?versionId=}), with S3's
 * answers for delete markers: 404 NoSuchKey for a current delete marker, 405 MethodNotAllowed when
 * the named version is one, both with {@code x-amz-delete-marker: true}.
 */
final class ObjectLookup {
  private static final Pattern VERSION_ID = Pattern.compile("null|[A-Za-z0-9_-]{1,128}");

  private ObjectLookup() {}

  /** The version id of the call, validated; null when absent. */
  static String versionId(Call call) {
    String v = call.query("versionId").orElse(null);
    if (v != null && !VERSION_ID.matcher(v).matches()) {
      throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
          .with("ArgumentName", "versionId");
    }
    return v;
  }

  /** The version the call names in {@code b}, the bucket as its access check read it. */
  static StoredObject require(Call call, S3Services s, Bucket b) {
    String versionId = versionId(call);
    ObjectStore.VersionView v =
        s.objects()
            .findVersion(b, call.key(), versionId)
            .orElseThrow(
                () ->
                    versionId == null
                        ? new S3ErrorException(S3ErrorCode.NO_SUCH_KEY).with("Key", call.key())
                        : new S3ErrorException(S3ErrorCode.NO_SUCH_VERSION)
                            .with("Key", call.key())
                            .with("VersionId", versionId));
    if (v.head().deleteMarker()) {
      S3ErrorException e =
          versionId == null
              ? new S3ErrorException(S3ErrorCode.NO_SUCH_KEY).with("Key", call.key())
              : new S3ErrorException(S3ErrorCode.METHOD_NOT_ALLOWED);
      e.withHeader("x-amz-delete-marker", "true")
          .withHeader("x-amz-version-id", v.head().versionId());
      if (versionId != null) {
        // S3 dates the delete marker a version id names (its 405).
        e.withHeader("Last-Modified", HttpDate.format(v.head().lastModified() / 1000));
      }
      throw e;
    }
    return v.object();
  }

  /**
   * The headers S3 gives about the version a write just made (PUT, copy, completion): {@code
   * x-amz-version-id} in a bucket whose versioning is on or suspended, and {@code
   * x-amz-expiration}.
   */
  static void writtenVersionHeaders(Map<String, String> out, Bucket b, String key, ObjectHead h) {
    if (b.versioning() != Versioning.UNVERSIONED) {
      out.put("x-amz-version-id", h.versionId());
    }
    expirationHeader(out, b, key, h);
  }

  /**
   * Adds S3's {@code x-amz-expiration} ({@code expiry-date="DATE", rule-id="ID"}, the id
   * URL-encoded as AWS documents) when an enabled lifecycle rule with an Expiration selects the
   * current version {@code h} of {@code key}: the earliest such expiry.
   */
  static void expirationHeader(Map<String, String> out, Bucket b, String key, ObjectHead h) {
    if (b.lifecycle() == null || h.deleteMarker()) {
      return;
    }
    LifecycleRunner.expiry(b.lifecycle(), key, h.tags(), h.size(), h.lastModified())
        .ifPresent(
            e ->
                out.put(
                    "x-amz-expiration",
                    "expiry-date=\""
                        + HttpDate.format(e.at() / 1000)
                        + "\", rule-id=\""
                        + java.net.URLEncoder.encode(e.ruleId(), StandardCharsets.UTF_8)
                            .replace("+", "%20")
                        + "\""));
  }

  /** Adds {@code x-amz-version-id} for objects of buckets that have (had) versioning. */
  static void versionHeader(Map<String, String> out, StoredObject o) {
    if (o.bucket().versioning() != Versioning.UNVERSIONED
        || !o.head().versionId().equals(ObjectStore.NULL_VERSION)) {
      out.put("x-amz-version-id", o.head().versionId());
    }
  }
}
