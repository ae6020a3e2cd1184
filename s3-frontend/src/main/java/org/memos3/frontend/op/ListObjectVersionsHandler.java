package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.List;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.ListVersionsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectStore;

/**
 * ListObjectVersions with key and version-id markers (a version-id marker needs a key marker),
 * prefix and delimiter.
 */
final class ListObjectVersionsHandler implements Handler {
  private final S3Services s;

  ListObjectVersionsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    ListingParams p = ListingParams.from(call);
    String keyMarker = call.query("key-marker").orElse(null);
    String idMarker = call.query("version-id-marker").orElse(null);
    if (idMarker != null && !idMarker.isEmpty() && (keyMarker == null || keyMarker.isEmpty())) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "A version-id marker cannot be specified without a key marker.")
          .with("ArgumentName", "version-id-marker");
    }
    // max-keys=0: an empty listing, not truncated (as ListObjects).
    ObjectStore.VersionsPage page =
        p.maxKeys() == 0
            ? new ObjectStore.VersionsPage(List.of(), List.of(), false, null, null)
            : s.objects()
                .listVersions(
                    b.name(), p.prefix(), p.delimiter(), keyMarker, idMarker, p.maxKeys());
    Owner owner = new Owner(b.owner(), b.owner());
    // One sequence in the page's order: S3 interleaves versions and delete markers.
    List<ListVersionsResult.Entry> entries = new ArrayList<>();
    for (ObjectStore.VersionEntry e : page.versions()) {
      ObjectHead h = e.head();
      if (h.deleteMarker()) {
        entries.add(
            new ListVersionsResult.DeleteMarker(
                p.enc(e.key()), h.versionId(), e.latest(), S3Xml.time(h.lastModified()), owner));
      } else {
        entries.add(
            new ListVersionsResult.Version(
                p.enc(e.key()),
                h.versionId(),
                e.latest(),
                S3Xml.time(h.lastModified()),
                "\"" + h.etag() + "\"",
                h.size(),
                owner,
                "STANDARD"));
      }
    }
    call.respondXml(
        200,
        new ListVersionsResult(
            S3Xml.NS,
            b.name(),
            p.enc(p.prefix()),
            keyMarker == null ? "" : p.enc(keyMarker),
            idMarker == null ? "" : idMarker,
            p.enc(page.nextKeyMarker()),
            page.nextVersionIdMarker(),
            p.maxKeys(),
            p.enc(p.delimiter()),
            p.encodingType(),
            page.truncated(),
            entries,
            p.prefixes(page.commonPrefixes())));
  }
}
