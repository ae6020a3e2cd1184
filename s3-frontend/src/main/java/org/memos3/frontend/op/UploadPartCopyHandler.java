package org.memos3.frontend.op;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memos3.auth.checksum.ChecksumAlgorithm;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CopyPartResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.multipart.Part;
import org.memos3.kv.multipart.Upload;
import org.memos3.kv.object.ObjectContentStream;
import org.memos3.kv.object.StoredObject;

/**
 * UploadPartCopy: a PUT of a part with {@code x-amz-copy-source} and optionally {@code
 * x-amz-copy-source-range: bytes=first-last}, which must lie within the source. Streams the bytes
 * through a new part write, hashing them for the part's ETag and, in an upload with a checksum
 * algorithm, for the part's checksum (the source's own would not hold for a range).
 */
final class UploadPartCopyHandler implements Handler {
  static final String RANGE = "x-amz-copy-source-range";
  private static final Pattern BYTES = Pattern.compile("bytes=(\\d{1,19})-(\\d{1,19})");

  private final S3Services s;

  UploadPartCopyHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    org.memos3.kv.bucket.Bucket bucket = s.ownedBucket(call);
    String uploadId = MultipartHandlers.uploadId(call);
    int partNumber = MultipartHandlers.intParam(call, "partNumber", -1, 1, 10_000);
    Upload upload = s.uploads().require(call.bucket(), call.key(), uploadId);
    CopySource source = CopySource.parse(call);
    StoredObject o = source.find(s, call);
    long size = o.manifest().size();
    ByteRange range = copyRange(call.header(RANGE).orElse(null), size);
    long from = range == null ? 0 : range.start();
    long to = range == null ? size : range.end() + 1;
    if (to - from > CopySource.MAX_COPY_SIZE) {
      throw CopySource.tooLarge();
    }
    org.memos3.kv.object.CustomerKey sourceKey = CustomerKeys.ofCopySource(call);
    org.memos3.kv.object.CustomerKey targetKey = CustomerKeys.forWrite(call, bucket);
    Part p;
    try (ObjectContentStream in =
        new ObjectContentStream(s.objects().open(o, from, to, sourceKey))) {
      CopiedData data =
          CopiedData.part(in, ChecksumAlgorithm.fromName(upload.checksumAlgorithm()))
              .withCustomerKey(targetKey);
      p = s.uploads().uploadPart(call.bucket(), call.key(), uploadId, partNumber, data);
    }
    java.util.Map<String, String> out = source.responseHeaders(o);
    CustomerKeys.echo(out, call);
    call.respond(
        200,
        out,
        S3Xml.write(
            CopyPartResult.of(
                S3Xml.time(p.lastModified()),
                "\"" + p.etag() + "\"",
                p.checksumAlgorithm(),
                p.checksumValue())));
  }

  /**
   * The source range, or null for the whole source. Unlike a GET Range, the header must be exactly
   * {@code bytes=first-last} (else 400 InvalidArgument) and lie within the source (else 416
   * InvalidRange): S3 neither ignores nor clamps it.
   */
  static ByteRange copyRange(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher mt = BYTES.matcher(header.trim());
    if (!mt.matches()) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT,
              "The x-amz-copy-source-range value must be of the form bytes=first-last where first"
                  + " and last are the zero-based offsets of the first and last bytes to copy")
          .with("ArgumentName", RANGE);
    }
    try {
      long first = Long.parseLong(mt.group(1));
      long last = Long.parseLong(mt.group(2));
      if (first <= last && last < size) {
        return new ByteRange(first, last);
      }
    } catch (NumberFormatException e) {
      // beyond a long: not within any source
    }
    throw new S3ErrorException(S3ErrorCode.INVALID_RANGE);
  }
}
