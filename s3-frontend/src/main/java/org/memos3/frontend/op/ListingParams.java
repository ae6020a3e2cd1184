package org.memos3.frontend.op;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/** The parameters common to ListObjects v1 and v2, validated as S3 validates them. */
record ListingParams(String prefix, String delimiter, int maxKeys, boolean urlEncode) {

  static ListingParams from(Call call) {
    String prefix = call.query("prefix").orElse("");
    String delimiter = call.query("delimiter").filter(d -> !d.isEmpty()).orElse(null);
    int max = 1000;
    String raw = call.query("max-keys").orElse(null);
    if (raw != null) {
      try {
        max = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 0) {
        throw new S3ErrorException(
                S3ErrorCode.INVALID_ARGUMENT,
                "Provided max-keys not an integer or within integer range")
            .with("ArgumentName", "max-keys");
      }
      max = Math.min(max, 1000);
    }
    return new ListingParams(prefix, delimiter, max, urlEncoding(call));
  }

  /** Whether {@code encoding-type=url} is asked for; InvalidArgument for another encoding. */
  static boolean urlEncoding(Call call) {
    String enc = call.query("encoding-type").orElse(null);
    if (enc != null && !enc.equals("url")) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
    }
    return enc != null;
  }

  /**
   * One page of current versions after {@code after} (null for the start). S3 answers max-keys=0
   * with an empty listing that is not truncated.
   */
  org.memos3.kv.list.ListPage page(
      org.memos3.kv.object.ObjectStore objects, String bucket, String after) {
    if (maxKeys == 0) {
      return new org.memos3.kv.list.ListPage(java.util.List.of(), java.util.List.of(), false, null);
    }
    return objects.list(bucket, prefix, delimiter, after, maxKeys);
  }

  /** Encodes a key for {@code encoding-type=url} (null stays null). */
  String enc(String s) {
    if (!urlEncode || s == null) {
      return s;
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~")
        .replace("%2F", "/");
  }

  /** The Contents elements of a listing, keys encoded as asked. */
  java.util.List<org.memos3.frontend.xml.ListBucketResult.Contents> contents(
      java.util.List<org.memos3.kv.list.ListedObject> objects,
      org.memos3.frontend.xml.Owner owner) {
    return objects.stream()
        .map(
            o ->
                new org.memos3.frontend.xml.ListBucketResult.Contents(
                    enc(o.key()),
                    org.memos3.frontend.xml.S3Xml.time(o.lastModified()),
                    "\"" + o.etag() + "\"",
                    o.size(),
                    owner,
                    "STANDARD"))
        .toList();
  }

  /** The CommonPrefixes elements of a listing, encoded as asked. */
  java.util.List<org.memos3.frontend.xml.ListBucketResult.CommonPrefix> prefixes(
      java.util.List<String> commonPrefixes) {
    return commonPrefixes.stream()
        .map(c -> new org.memos3.frontend.xml.ListBucketResult.CommonPrefix(enc(c)))
        .toList();
  }

  String encodingType() {
    return urlEncode ? "url" : null;
  }
}
