package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Permission;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.StoredObject;

/**
 * The source of CopyObject and UploadPartCopy: the {@code x-amz-copy-source} header parsed ({@code
 * [/]bucket/key[?versionId=...]}, percent-encoded), and the source object looked up with the
 * caller's access and the {@code x-amz-copy-source-if-*} preconditions checked. Reads no data; what
 * to copy and where is the handlers' business.
 */
record CopySource(String bucket, String key, String versionId) {
  static final String HEADER = "x-amz-copy-source";

  /** S3's largest copy source (and largest part): larger objects need ranged UploadPartCopy. */
  static final long MAX_COPY_SIZE = PutObjectHandler.MAX_SINGLE_PUT;

  /** Version ids as {@link ObjectLookup} accepts them on GET. */
  private static final Pattern VERSION_ID = Pattern.compile("null|[A-Za-z0-9_-]{1,128}");

  static CopySource parse(Call call) {
    String raw = call.header(HEADER).orElse("").trim();
    String path = raw;
    String versionId = null;
    int q = raw.indexOf('?');
    if (q >= 0) {
      path = raw.substring(0, q);
      versionId = Router.parseQuery(raw.substring(q + 1)).get("versionId");
      if (versionId != null && !VERSION_ID.matcher(versionId).matches()) {
        throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
            .with("ArgumentName", HEADER);
      }
    }
    String decoded = Router.decode(path);
    if (decoded.startsWith("/")) {
      decoded = decoded.substring(1);
    }
    int slash = decoded.indexOf('/');
    if (slash <= 0 || slash == decoded.length() - 1) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
          .with("ArgumentName", HEADER);
    }
    return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1), versionId);
  }

  /** True when copying onto the source's own current version (no version named). */
  boolean isSameObject(Call call) {
    return versionId == null && bucket.equals(call.bucket()) && key.equals(call.key());
  }

  /**
   * The source version (current, or the one named), which the caller must be allowed to read: 404
   * NoSuchBucket, NoSuchKey (also for a current delete marker) or NoSuchVersion when absent, 400
   * InvalidRequest when the version named is a delete marker, 412 PreconditionFailed when a
   * copy-source condition does not hold.
   */
  StoredObject find(S3Services s, Call call) {
    Bucket b =
        s.buckets()
            .find(bucket)
            .orElseThrow(
                () -> new S3ErrorException(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucket));
    s.authorize(
        call, b, Permission.READ, versionId == null ? "s3:GetObject" : "s3:GetObjectVersion", key);
    ObjectStore.VersionView v =
        s.objects()
            .findVersion(bucket, key, versionId)
            .orElseThrow(
                () ->
                    versionId == null
                        ? new S3ErrorException(S3ErrorCode.NO_SUCH_KEY).with("Key", key)
                        : new S3ErrorException(S3ErrorCode.NO_SUCH_VERSION)
                            .with("Key", key)
                            .with("VersionId", versionId));
    if (v.head().deleteMarker()) {
      throw versionId == null
          ? new S3ErrorException(S3ErrorCode.NO_SUCH_KEY).with("Key", key)
          : new S3ErrorException(
              S3ErrorCode.INVALID_REQUEST,
              "The source of a copy request may not specifically refer to a delete marker by"
                  + " version id.");
    }
    StoredObject o = v.object();
    checkConditions(call, o.manifest());
    return o;
  }

  /**
   * Headers of a copy's XML answer: its content type and, when the source has versions or one was
   * named, {@code x-amz-copy-source-version-id}.
   */
  Map<String, String> responseHeaders(StoredObject source) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Content-Type", "application/xml");
    if (versionId != null || source.bucket().versioning() != Versioning.UNVERSIONED) {
      out.put("x-amz-copy-source-version-id", source.head().versionId());
    }
    return out;
  }

  /**
   * S3's rules: a matching if-match wins over a failing if-unmodified-since, and a failing
   * if-none-match fails whatever if-modified-since says. Every failure is 412 (never 304).
   */
  private static void checkConditions(Call call, Manifest m) {
    long lastModifiedSec = m.lastModified() / 1000;
    String ifMatch = call.header(HEADER + "-if-match").orElse(null);
    String ifNoneMatch = call.header(HEADER + "-if-none-match").orElse(null);
    boolean holds;
    if (ifMatch != null) {
      holds = GetObjectHandler.etagMatches(ifMatch, m.etag());
    } else {
      Long ius = GetObjectHandler.date(call.header(HEADER + "-if-unmodified-since").orElse(null));
      holds = ius == null || lastModifiedSec <= ius;
    }
    if (ifNoneMatch != null) {
      holds &= !GetObjectHandler.etagMatches(ifNoneMatch, m.etag());
    } else {
      Long ims = GetObjectHandler.date(call.header(HEADER + "-if-modified-since").orElse(null));
      holds &= ims == null || lastModifiedSec > ims;
    }
    if (!holds) {
      throw new S3ErrorException(S3ErrorCode.PRECONDITION_FAILED);
    }
  }

  /** The source's stored checksum as the key-value layer takes it, if it has one. */
  static Optional<Map.Entry<String, String>> checksumOf(Manifest m) {
    return m.checksumAlgorithm() == null
        ? Optional.empty()
        : Optional.of(Map.entry(m.checksumAlgorithm(), m.checksumValue()));
  }

  static S3ErrorException tooLarge() {
    return new S3ErrorException(
        S3ErrorCode.INVALID_REQUEST,
        "The specified copy source is larger than the maximum allowable size for a copy source: "
            + MAX_COPY_SIZE);
  }
}
