package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.ChecksumElements;
import org.memos3.frontend.xml.GetObjectAttributesResult;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.StoredObject;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}): the attributes {@code
 * x-amz-object-attributes} lists (ETag, Checksum, ObjectParts, StorageClass, ObjectSize) of the
 * current version or of {@code versionId}, without the body. ObjectParts pages a multipart object's
 * parts by {@code x-amz-part-number-marker} and {@code x-amz-max-parts} (1,000 at most); as on S3,
 * its Part elements are given only when the object has a checksum, each with the part's own.
 */
final class GetObjectAttributesHandler implements Handler {
  private static final Set<String> ATTRIBUTES =
      Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");

  private final S3Services s;

  GetObjectAttributesHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket bucket = s.ownedBucket(call);
    Set<String> wanted = attributes(call);
    int maxParts = header(call, "x-amz-max-parts", 1000);
    int marker = header(call, "x-amz-part-number-marker", 0);
    StoredObject o = ObjectLookup.require(call, s, bucket);
    // As S3, the attributes of an object written with a client's key need that key.
    org.memos3.kv.object.CustomerKey.check(o.manifest().customerKeyCheck(), CustomerKeys.of(call));
    Manifest m = o.manifest();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Last-Modified", HttpDate.format(m.lastModified() / 1000));
    ObjectLookup.versionHeader(out, o);
    out.put("Content-Type", "application/xml");
    GetObjectAttributesResult.Checksum checksum = null;
    if (wanted.contains("Checksum") && m.checksumValue() != null) {
      String type = m.isMultipart() ? MultipartChecksums.typeOf(m.checksumValue()) : "FULL_OBJECT";
      // Here S3 gives a COMPOSITE checksum without its -N (HEAD and GET keep it).
      String value =
          type.equals(MultipartChecksums.COMPOSITE)
              ? m.checksumValue().replaceFirst("-[0-9]+$", "")
              : m.checksumValue();
      checksum =
          new GetObjectAttributesResult.Checksum(
              ChecksumElements.of(m.checksumAlgorithm(), value), type);
    }
    GetObjectAttributesResult.ObjectParts parts = null;
    if (wanted.contains("ObjectParts") && m.isMultipart()) {
      parts = parts(bucket, m, marker, Math.min(maxParts, 1000));
    }
    call.respond(
        200,
        out,
        S3Xml.write(
            new GetObjectAttributesResult(
                S3Xml.NS,
                wanted.contains("ETag") ? m.etag() : null,
                checksum,
                parts,
                wanted.contains("StorageClass") ? "STANDARD" : null,
                wanted.contains("ObjectSize") ? m.size() : null)));
  }

  /** A page of parts after {@code marker}; each part's checksum read from its manifest. */
  private GetObjectAttributesResult.ObjectParts parts(
      Bucket bucket, Manifest m, int marker, int max) {
    List<Manifest.PartRef> all = m.parts();
    if (m.checksumValue() == null || max == 0) {
      // Without checksums S3 gives the count alone (no Part elements to page through).
      return new GetObjectAttributesResult.ObjectParts(all.size(), null, null, null, null, null);
    }
    List<GetObjectAttributesResult.Part> page = new ArrayList<>();
    int last = marker;
    int i = 0;
    while (i < all.size() && all.get(i).partNumber() <= marker) {
      i++;
    }
    for (; i < all.size() && page.size() < max; i++) {
      Manifest.PartRef ref = all.get(i);
      ChecksumElements sum = null;
      Manifest part = s.objects().openPart(bucket, ref);
      if (m.checksumAlgorithm().equals(part.checksumAlgorithm())) {
        sum = ChecksumElements.of(part.checksumAlgorithm(), part.checksumValue());
      }
      page.add(new GetObjectAttributesResult.Part(ref.partNumber(), ref.size(), sum));
      last = ref.partNumber();
    }
    boolean truncated = i < all.size();
    return new GetObjectAttributesResult.ObjectParts(
        all.size(), marker, truncated || !page.isEmpty() ? last : null, max, truncated, page);
  }

  /** The attribute names asked for (S3's names, exactly); S3's 400 for none or an unknown one. */
  private static Set<String> attributes(Call call) {
    List<String> values = call.exchange().headers().get("x-amz-object-attributes");
    if (values == null || values.stream().allMatch(String::isBlank)) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST,
          "The x-amz-object-attributes header specifying the attributes to be retrieved is either"
              + " missing or empty");
    }
    Set<String> out = new java.util.HashSet<>();
    for (String v : values) {
      for (String a : v.split(",")) {
        String name = a.trim();
        if (!ATTRIBUTES.contains(name)) {
          throw new S3ErrorException(
                  S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.")
              .with("ArgumentName", "x-amz-object-attributes")
              .with("ArgumentValue", a.trim());
        }
        out.add(name);
      }
    }
    return out;
  }

  private static int header(Call call, String name, int dflt) {
    return MultipartHandlers.intValue(
        name, call.header(name).map(String::trim).orElse(null), dflt, 0, Integer.MAX_VALUE);
  }
}
