package org.memos3.kv.multipart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.KeyRanges;

/**
 * ListMultipartUploads over the uploads table: records keyed by object key, a 0 byte, then the
 * upload id, read in key order a hundred at a time; uploads being completed are left out.
 */
final class UploadListing {
  private final Buckets buckets;
  private final RecordTable uploads;

  UploadListing(Buckets buckets, RecordTable uploads) {
    this.buckets = buckets;
    this.uploads = uploads;
  }

  /**
   * Live uploads in key order (then creation order) after the markers, of keys starting with {@code
   * prefix}, keys rolled up at {@code delimiter} (null for none) into common prefixes; at most
   * {@code max} uploads and prefixes together, as S3 counts them. A key marker without an upload id
   * marker starts after every upload of that key, and after a common prefix it names.
   */
  Uploads.UploadsPage page(
      Bucket b, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int max) {
    byte[] p = (prefix == null ? "" : prefix).getBytes(StandardCharsets.UTF_8);
    byte[] d =
        delimiter == null || delimiter.isEmpty()
            ? null
            : delimiter.getBytes(StandardCharsets.UTF_8);
    byte[] hi = KeyRanges.prefixEnd(p);
    byte[] from = p;
    byte[] afterKey = null;
    if (keyMarker != null && !keyMarker.isEmpty()) {
      afterKey = keyMarker.getBytes(StandardCharsets.UTF_8);
      byte[] after =
          uploadIdMarker == null || uploadIdMarker.isEmpty()
              ? KeyRanges.prefixEnd(Arrays.copyOf(afterKey, afterKey.length + 1))
              : KeyRanges.successor(Uploads.uploadKey(keyMarker, uploadIdMarker));
      from = KeyRanges.max(from, after);
    }
    List<Upload> out = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String lastKey = null;
    String lastId = null;
    int count = 0;
    byte[] rolled = null;
    while (from != null) {
      List<VersionedRecord> rows = uploads.range(b.id(), from, hi, 100);
      for (VersionedRecord r : rows) {
        int zero = r.key().length - 1;
        while (zero >= 0 && r.key()[zero] != 0) {
          zero--;
        }
        byte[] key = Arrays.copyOf(r.key(), Math.max(zero, 0));
        if (rolled != null && KeyRanges.startsWith(key, rolled)) {
          continue;
        }
        rolled = null;
        from = KeyRanges.successor(r.key());
        String id =
            new String(r.key(), zero + 1, r.key().length - zero - 1, StandardCharsets.UTF_8);
        Upload u = Upload.open(r.value(), buckets.keyOf(b), b.id(), id);
        if (u.completing()) {
          continue;
        }
        int cut = d == null ? -1 : KeyRanges.indexOf(key, d, p.length);
        if (cut >= 0) {
          rolled = Arrays.copyOf(key, cut + d.length);
          from = KeyRanges.prefixEnd(rolled);
          // A prefix at or before the key marker was on an earlier page.
          if (afterKey != null && Arrays.compareUnsigned(rolled, afterKey) <= 0) {
            continue;
          }
          if (count == max) {
            return new Uploads.UploadsPage(out, prefixes, true, lastKey, lastId);
          }
          count++;
          lastKey = new String(rolled, StandardCharsets.UTF_8);
          lastId = null;
          prefixes.add(lastKey);
          continue;
        }
        if (count == max) {
          return new Uploads.UploadsPage(out, prefixes, true, lastKey, lastId);
        }
        count++;
        lastKey = u.key();
        lastId = u.uploadId();
        out.add(u);
      }
      if (rows.size() < 100) {
        break;
      }
    }
    return new Uploads.UploadsPage(out, prefixes, false, null, null);
  }
}
