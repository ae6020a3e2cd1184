package org.memos3.frontend.op;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectContent;
import org.memos3.kv.object.StoredObject;

/**
 * GetObject and HeadObject: conditionals with S3's precedence, single ranges or one part ({@code
 * ?partNumber=N}, answered like a range, with {@code x-amz-mp-parts-count} for a multipart object),
 * response header overrides, and a streamed body fetched a bounded window ahead. The first chunk is
 * read before the status line goes out, so an integrity failure there is a clean 500; a later one
 * cuts the connection (the client sees a short body, never wrong bytes).
 */
final class GetObjectHandler implements Handler {

  /**
   * Largest body read on the connection's I/O thread: one chunk below the size that goes to disk
   * with direct I/O, so that its file is normally in the page cache and its read is a copy.
   */
  static final long READ_HERE_MAX = 64 * 1024;

  private final S3Services s;
  private final boolean head;

  /** How the reads on the I/O threads have gone: they pause while they are slow. */
  private final EventLoopPace pace = new EventLoopPace(1_000_000);

  GetObjectHandler(S3Services s, boolean head) {
    this.s = s;
    this.head = head;
  }

  @Override
  public void handle(Call call) throws Exception {
    Bucket bucket = s.ownedBucket(call);
    ObjectHeaders.refuseEncryptionOnRead(call);
    Integer partNumber =
        call.query("partNumber").isPresent()
            ? MultipartHandlers.intParam(call, "partNumber", 1, 1, Manifest.MAX_PARTS)
            : null;
    if (partNumber != null && call.header("range").isPresent()) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST,
          "Cannot specify both Range header and partNumber query parameter");
    }
    StoredObject o = ObjectLookup.require(call, s, bucket);
    Manifest m = o.manifest();
    CustomerKey customerKey = CustomerKeys.of(call);
    CustomerKey.check(m.customerKeyCheck(), customerKey);
    String etag = "\"" + m.etag() + "\"";
    long lastModifiedSec = m.lastModified() / 1000;
    Map<String, String> out = new LinkedHashMap<>();
    out.put("ETag", etag);
    ObjectLookup.versionHeader(out, o);
    if (call.query("versionId").isEmpty()) {
      ObjectLookup.expirationHeader(out, bucket, call.key(), o.head());
    }
    if (!o.head().tags().isEmpty()) {
      out.put("x-amz-tagging-count", Integer.toString(o.head().tags().size()));
    }
    ObjectLockHandlers.headers(out, call, o.head().lock());
    CustomerKeys.echo(out, call);
    out.put("Last-Modified", HttpDate.format(lastModifiedSec));
    if (notModified(call, m.etag(), lastModifiedSec)) {
      call.respondEmpty(304, out);
      return;
    }
    long size = m.size();
    ByteRange range;
    if (partNumber == null) {
      range = ByteRange.parse(call.header("range").orElse(null), size);
    } else {
      range = partRange(m, partNumber);
      if (m.isMultipart()) {
        out.put("x-amz-mp-parts-count", Integer.toString(m.parts().size()));
      }
    }
    out.put("Accept-Ranges", "bytes");
    ObjectHeaders.render(out, m.headers(), m.userMetadata(), call);
    if (m.checksumAlgorithm() != null
        && call.header("x-amz-checksum-mode").map("ENABLED"::equalsIgnoreCase).orElse(false)) {
      checksumHeaders(out, bucket, m, partNumber, range);
    }
    long from = range == null ? 0 : range.start();
    long length = range == null ? size : range.length();
    int status = 200;
    if (range != null) {
      status = 206;
      out.put("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
    }
    out.put("Content-Length", Long.toString(length));
    if (head) {
      call.respondEmpty(status, out);
      return;
    }
    if (length == 0) {
      call.respondEmpty(status, out);
      return;
    }
    if (m.isInline()) {
      // The body came with the record: one write, wherever this runs.
      byte[] body = m.inline();
      call.respond(
          status,
          out,
          from == 0 && length == body.length
              ? body
              : java.util.Arrays.copyOfRange(body, (int) from, (int) (from + length)));
      return;
    }
    int okStatus = status;
    if (call.exchange().onEventLoop() && readHere(m)) {
      long t0 = System.nanoTime();
      try {
        stream(call, o, customerKey, okStatus, out, from, length);
      } finally {
        long t1 = System.nanoTime();
        pace.took(t1 - t0, t1);
      }
      return;
    }
    call.onWorker(() -> stream(call, o, customerKey, okStatus, out, from, length));
  }

  /**
   * The checksum headers S3 gives with {@code x-amz-checksum-mode: ENABLED}: for one part of a
   * COMPOSITE multipart object, that part's checksum (type COMPOSITE); otherwise the object's
   * checksum, when the answer holds the whole object (no range, a range or part number that covers
   * it, as the one part of a FULL_OBJECT upload does); none for a partial range, whose bytes no
   * stored checksum covers. Reads the part's manifest for a part's checksum.
   */
  private void checksumHeaders(
      Map<String, String> out, Bucket bucket, Manifest m, Integer partNumber, ByteRange range) {
    if (partNumber != null
        && m.isMultipart()
        && MultipartChecksums.isComposite(m.checksumValue())) {
      Manifest part = s.objects().openPart(bucket, m.parts().get(partNumber - 1));
      if (m.checksumAlgorithm().equals(part.checksumAlgorithm()) && part.checksumValue() != null) {
        MultipartChecksums.partHeaders(out, part.checksumAlgorithm(), part.checksumValue());
      }
    } else if (range == null || range.length() == m.size()) {
      MultipartChecksums.headers(out, m.checksumAlgorithm(), m.checksumValue());
    }
  }

  /**
   * True when this GET's body is small enough to read on the connection's I/O thread (where the
   * dispatcher only lets it run on a lone node, whose blocks are local): one chunk of at most
   * {@link #READ_HERE_MAX} bytes, unless such reads have been slow. The hand-off to a worker and
   * back costs two thread wake-ups, more than copying the chunk from the page cache and opening it
   * (DESIGN.md section 10, "Small GETs read on the event loop"), paced by {@link EventLoopPace}.
   */
  private boolean readHere(Manifest m) {
    return m.isOneChunk() && m.size() <= READ_HERE_MAX && pace.allowed(System.nanoTime());
  }

  /** Streams {@code [from, from+length)} of the object's chunks; blocks on the grid and client. */
  private void stream(
      Call call,
      StoredObject o,
      CustomerKey customerKey,
      int status,
      Map<String, String> out,
      long from,
      long length)
      throws java.io.IOException {
    try (ObjectContent content = s.objects().open(o, from, from + length, customerKey)) {
      ObjectContent.Piece first = content.next();
      call.exchange().startStream(status, out);
      try {
        for (ObjectContent.Piece p = first; p != null; p = content.next()) {
          call.exchange().write(p.bytes(), p.offset(), p.length(), p::release);
        }
      } catch (Exception e) {
        throw new StreamingFailure(e);
      }
      call.exchange().endStream();
    }
  }

  /**
   * The bytes of part {@code n} (its position among the parts, as S3 numbers them after completion;
   * counted with {@code x-amz-mp-parts-count}). A single-part object has one part, the whole object
   * (null when it is empty: there is no range to send); other numbers are 416 InvalidPartNumber.
   */
  private static ByteRange partRange(Manifest m, int n) {
    if (!m.isMultipart()) {
      if (n != 1) {
        throw new S3ErrorException(S3ErrorCode.INVALID_PART_NUMBER);
      }
      return m.size() == 0 ? null : new ByteRange(0, m.size() - 1);
    }
    if (n > m.parts().size()) {
      throw new S3ErrorException(S3ErrorCode.INVALID_PART_NUMBER);
    }
    long start = 0;
    for (int i = 0; i < n - 1; i++) {
      start += m.parts().get(i).size();
    }
    return new ByteRange(start, start + m.parts().get(n - 1).size() - 1);
  }

  /** True for 304; throws 412 for a failed If-Match / If-Unmodified-Since. */
  private static boolean notModified(Call call, String etag, long lastModifiedSec) {
    String ifMatch = call.header("if-match").orElse(null);
    String ifNoneMatch = call.header("if-none-match").orElse(null);
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, etag)) {
        throw new S3ErrorException(S3ErrorCode.PRECONDITION_FAILED);
      }
    } else {
      Long ius = date(call.header("if-unmodified-since").orElse(null));
      if (ius != null && lastModifiedSec > ius) {
        throw new S3ErrorException(S3ErrorCode.PRECONDITION_FAILED);
      }
    }
    if (ifNoneMatch != null) {
      return etagMatches(ifNoneMatch, etag);
    }
    Long ims = date(call.header("if-modified-since").orElse(null));
    return ims != null && lastModifiedSec <= ims;
  }

  static boolean etagMatches(String header, String etag) {
    for (String part : header.split(",")) {
      String t = PutObjectHandler.unquote(part);
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** An HTTP date in seconds, or null when absent or unparsable (S3 then ignores the header). */
  static Long date(String v) {
    if (v == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A failure after the status line went out: the dispatcher cuts the connection. */
  static final class StreamingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamingFailure(Throwable cause) {
      super(cause);
    }
  }
}
