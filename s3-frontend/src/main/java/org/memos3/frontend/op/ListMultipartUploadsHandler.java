package org.memos3.frontend.op;

import org.memos3.frontend.xml.ListMultipartUploadsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Upload;
import org.memos3.kv.multipart.Uploads;

/** ListMultipartUploads with key and upload-id markers and a prefix. */
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
    String keyMarker = call.query("key-marker").orElse(null);
    String idMarker = call.query("upload-id-marker").orElse(null);
    Uploads.UploadsPage page = s.uploads().list(call.bucket(), prefix, keyMarker, idMarker, max);
    Upload last = page.uploads().isEmpty() ? null : page.uploads().get(page.uploads().size() - 1);
    call.respondXml(
        200,
        new ListMultipartUploadsResult(
            S3Xml.NS,
            call.bucket(),
            keyMarker == null ? "" : keyMarker,
            idMarker == null ? "" : idMarker,
            page.truncated() && last != null ? last.key() : null,
            page.truncated() && last != null ? last.uploadId() : null,
            prefix,
            max,
            page.truncated(),
            page.uploads().stream()
                .map(
                    u ->
                        new ListMultipartUploadsResult.UploadEntry(
                            u.key(),
                            u.uploadId(),
                            new Owner(u.owner(), u.owner()),
                            new Owner(u.owner(), u.owner()),
                            "STANDARD",
                            S3Xml.time(u.initiated())))
                .toList()));
  }
}
