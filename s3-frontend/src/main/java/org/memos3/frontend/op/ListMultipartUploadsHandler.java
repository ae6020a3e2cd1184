package org.memos3.frontend.op;

import java.util.List;
import org.memos3.frontend.xml.ListMultipartUploadsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Uploads;

/**
 * ListMultipartUploads with key and upload-id markers, a prefix, a delimiter (keys rolled up into
 * CommonPrefixes, which count towards max-uploads as in ListObjects) and {@code encoding-type=url}.
 */
final class ListMultipartUploadsHandler implements Handler {
  private final S3Services s;

  ListMultipartUploadsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    int max =
        Math.min(1000, MultipartHandlers.intParam(call, "max-uploads", 1000, 0, Integer.MAX_VALUE));
    String prefix = call.query("prefix").orElse("");
    String delimiter = call.query("delimiter").filter(d -> !d.isEmpty()).orElse(null);
    ListingParams p = new ListingParams(prefix, delimiter, max, ListingParams.urlEncoding(call));
    String keyMarker = call.query("key-marker").orElse(null);
    String idMarker = call.query("upload-id-marker").orElse(null);
    // max-uploads=0: an empty listing, not truncated (as ListObjects).
    Uploads.UploadsPage page =
        max == 0
            ? new Uploads.UploadsPage(List.of(), List.of(), false, null, null)
            : s.uploads().list(call.bucket(), prefix, delimiter, keyMarker, idMarker, max);
    call.respondXml(
        200,
        new ListMultipartUploadsResult(
            S3Xml.NS,
            call.bucket(),
            keyMarker == null ? "" : p.enc(keyMarker),
            idMarker == null ? "" : idMarker,
            p.enc(page.nextKeyMarker()),
            page.nextUploadIdMarker(),
            p.enc(prefix),
            p.enc(delimiter),
            max,
            p.encodingType(),
            page.truncated(),
            page.uploads().stream()
                .map(
                    u ->
                        new ListMultipartUploadsResult.UploadEntry(
                            p.enc(u.key()),
                            u.uploadId(),
                            new Owner(u.owner(), u.owner()),
                            new Owner(u.owner(), u.owner()),
                            "STANDARD",
                            S3Xml.time(u.initiated())))
                .toList(),
            p.prefixes(page.commonPrefixes())));
  }
}
