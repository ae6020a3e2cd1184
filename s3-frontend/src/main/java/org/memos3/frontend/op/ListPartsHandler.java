package org.memos3.frontend.op;

import java.util.List;
import org.memos3.frontend.xml.ListPartsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Part;
import org.memos3.kv.multipart.Upload;

/**
 * ListParts with part-number-marker paging. For an upload created with a checksum algorithm, each
 * part carries its checksum ({@code ChecksumSHA256} etc.) and the result the upload's algorithm and
 * type, as S3 lists them.
 */
final class ListPartsHandler implements Handler {
  private final S3Services s;

  ListPartsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    s.ownedBucket(call);
    String uploadId = MultipartHandlers.uploadId(call);
    int max = MultipartHandlers.intParam(call, "max-parts", 1000, 0, Integer.MAX_VALUE);
    max = Math.min(max, 1000);
    int marker = MultipartHandlers.intParam(call, "part-number-marker", 0, 0, 10_000);
    // The upload must exist (also for max-parts=0); its checksum algorithm names the parts' one.
    Upload upload = s.uploads().require(call.bucket(), call.key(), uploadId);
    String alg = upload.checksumAlgorithm();
    CustomerKeys.requireForChecksums(call, upload.customerKeyCheck(), alg);
    List<Part> parts;
    if (max == 0) {
      // No parts and not truncated, as ListObjects answers max-keys=0.
      parts = List.of();
    } else {
      parts = s.uploads().listParts(call.bucket(), call.key(), uploadId, marker, max + 1);
    }
    boolean truncated = parts.size() > max;
    List<Part> page = truncated ? parts.subList(0, max) : parts;
    Owner owner = new Owner(call.principal(), call.principal());
    call.respondXml(
        200,
        new ListPartsResult(
            S3Xml.NS,
            call.bucket(),
            call.key(),
            uploadId,
            owner,
            owner,
            "STANDARD",
            marker,
            page.isEmpty() ? marker : page.get(page.size() - 1).partNumber(),
            max,
            truncated,
            page.stream()
                .map(
                    p ->
                        ListPartsResult.PartEntry.of(
                            p.partNumber(),
                            S3Xml.time(p.lastModified()),
                            "\"" + p.etag() + "\"",
                            p.size(),
                            alg,
                            alg != null && alg.equals(p.checksumAlgorithm())
                                ? p.checksumValue()
                                : null))
                .toList(),
            alg,
            upload.checksumType()));
  }
}
