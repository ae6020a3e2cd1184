package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.auth.checksum.VerifyingInputStream;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectLock;

/**
 * PutObject: streams the verified body into chunks and commits the head; answers only after the
 * commit. Conditional writes ({@code If-None-Match: *}, {@code If-Match}) are decided by the CAS.
 */
final class PutObjectHandler implements Handler {
  static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

  private final S3Services s;

  PutObjectHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    ObjectHeaders.checkKey(call.key());
    org.memos3.kv.bucket.Bucket bucket = s.ownedBucket(call);
    Acl.checkObjectWrite(call);
    long declared = call.declaredLength();
    if (declared < 0) {
      throw new S3ErrorException(S3ErrorCode.MISSING_CONTENT_LENGTH);
    }
    if (declared > MAX_SINGLE_PUT) {
      throw new S3ErrorException(S3ErrorCode.ENTITY_TOO_LARGE);
    }
    Conditions conditions = conditions(call);
    ObjectLock lock = ObjectLockHandlers.fromHeaders(call, bucket);
    CustomerKey customerKey = CustomerKeys.forWrite(call, bucket);
    Map<String, String> stored = ObjectHeaders.standard(call);
    Map<String, String> user = ObjectHeaders.user(call);
    VerifyingInputStream body = call.payload();
    PayloadData data =
        new PayloadData(body, declared, stored, user, Tags.fromHeader(call))
            .withLock(lock)
            .withCustomerKey(customerKey);
    if (!call.exchange().onEventLoop()) {
      respond(call, bucket, body, stored, s.objects().put(bucket, call.key(), data, conditions));
      return;
    }
    // A whole small body on the I/O thread (inline, or one chunk of at most 64 KiB): one CAS
    // here; a lost one is retried, with its back-off sleeps, on a worker.
    Manifest m = s.objects().storeData(bucket, data, 0);
    ObjectHead head = s.objects().newVersion(bucket, m, data.tags(), lock);
    if (s.objects().tryCommit(bucket, call.key(), head, conditions)) {
      respond(call, bucket, body, stored, head);
      return;
    }
    call.onWorker(
        () -> {
          s.objects().commit(bucket, call.key(), head, conditions);
          respond(call, bucket, body, stored, head);
        });
  }

  private static void respond(
      Call call,
      org.memos3.kv.bucket.Bucket bucket,
      VerifyingInputStream body,
      Map<String, String> stored,
      ObjectHead head) {
    Map<String, String> out = writtenHeaders(bucket, call.key(), body, stored, head);
    CustomerKeys.echo(out, call);
    call.respondEmpty(200, out);
  }

  /**
   * The headers of an answer to an object write from a request body (PutObject, POST Object): the
   * ETag, the encryption header echoed, the version's headers and the body's checksum.
   */
  static Map<String, String> writtenHeaders(
      org.memos3.kv.bucket.Bucket bucket,
      String key,
      VerifyingInputStream body,
      Map<String, String> stored,
      ObjectHead head) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("ETag", "\"" + head.etag() + "\"");
    if (stored.containsKey(ObjectHeaders.SSE)) {
      out.put(ObjectHeaders.SSE, stored.get(ObjectHeaders.SSE));
    }
    ObjectLookup.writtenVersionHeaders(out, bucket, key, head);
    body.checksumAlgorithm()
        .ifPresent(a -> out.put(a.headerName(), body.checksumBase64().orElseThrow()));
    return out;
  }

  /** S3 supports only {@code If-None-Match: *} and {@code If-Match: etag} on writes. */
  static Conditions conditions(Call call) {
    String inm = call.header("if-none-match").orElse(null);
    if (inm != null && !inm.trim().equals("*")) {
      throw new S3ErrorException(S3ErrorCode.NOT_IMPLEMENTED);
    }
    String im = call.header("if-match").map(PutObjectHandler::unquote).orElse(null);
    return new Conditions(im, inm != null);
  }

  static String unquote(String etag) {
    String t = etag.trim();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
        ? t.substring(1, t.length() - 1)
        : t;
  }
}
