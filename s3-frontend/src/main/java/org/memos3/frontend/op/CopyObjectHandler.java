package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CopyObjectResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectContentStream;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectLock;
import org.memos3.kv.object.StoredObject;

/**
 * CopyObject: a PUT of an object with {@code x-amz-copy-source}. Streams the source through a new
 * write, never whole in memory, hashing it on the way: the copy's ETag is the plain MD5 of its
 * content, also when the source is multipart. Metadata (content-type, the stored standard headers,
 * user metadata) come from the source with {@code x-amz-metadata-directive: COPY} (the default) or
 * from the request with {@code REPLACE}; copying an object onto itself needs REPLACE. Tags likewise
 * come from the source version with {@code x-amz-tagging-directive: COPY} (the default) or from the
 * request's {@code x-amz-tagging} with {@code REPLACE}. Sources over 5 GiB are refused (S3 wants
 * ranged UploadPartCopy for them).
 */
final class CopyObjectHandler implements Handler {
  static final String DIRECTIVE = "x-amz-metadata-directive";
  static final String TAGGING_DIRECTIVE = "x-amz-tagging-directive";

  private final S3Services s;

  CopyObjectHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) throws Exception {
    ObjectHeaders.checkKey(call.key());
    Bucket target = s.ownedBucket(call);
    Acl.checkObjectWrite(call);
    boolean replace = replace(call, DIRECTIVE, "Unknown metadata directive.");
    boolean replaceTags = replace(call, TAGGING_DIRECTIVE, "Unknown tagging directive.");
    Map<String, String> newTags = replaceTags ? Tags.fromHeader(call) : null;
    // The copy's Object Lock state is the request's, never the source's (as S3 does).
    ObjectLock lock = ObjectLockHandlers.fromHeaders(call, target);
    CustomerKey sourceKey = CustomerKeys.ofCopySource(call);
    CustomerKey targetKey = CustomerKeys.forWrite(call, target);
    CopySource source = CopySource.parse(call);
    StoredObject o = source.find(s, call);
    // Changing the encryption (to or from a client's key) is a change, as on S3.
    if (!replace && source.isSameObject(call) && sourceKey == null && targetKey == null) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.");
    }
    Manifest m = o.manifest();
    if (m.size() > CopySource.MAX_COPY_SIZE) {
      throw CopySource.tooLarge();
    }
    Map<String, String> headers = replace ? ObjectHeaders.standard(call) : m.headers();
    Map<String, String> user = replace ? ObjectHeaders.user(call) : m.userMetadata();
    Map<String, String> tags = replaceTags ? newTags : o.head().tags();
    ObjectHead head;
    try (ObjectContentStream in =
        new ObjectContentStream(s.objects().open(o, 0, m.size(), sourceKey))) {
      // The whole content is copied, so the source's checksum (if any) holds for the copy too.
      CopiedData data =
          new CopiedData(in, CopySource.checksumOf(m), headers, user, tags)
              .withLock(lock)
              .withCustomerKey(targetKey);
      head = s.objects().put(target, call.key(), data, Conditions.NONE);
    }
    Map<String, String> out = source.responseHeaders(o);
    ObjectLookup.writtenVersionHeaders(out, target, call.key(), head);
    CustomerKeys.echo(out, call);
    call.respond(
        200,
        out,
        S3Xml.write(
            new CopyObjectResult(
                S3Xml.NS, S3Xml.time(head.lastModified()), "\"" + head.etag() + "\"")));
  }

  /** Whether the directive {@code header} says REPLACE (COPY when absent). */
  private static boolean replace(Call call, String header, String unknown) {
    String d = call.header(header).map(String::trim).orElse("COPY");
    return switch (d) {
      case "COPY" -> false;
      case "REPLACE" -> true;
      default ->
          throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, unknown)
              .with("ArgumentName", header);
    };
  }
}
