package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.ListBucketResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.list.ListPage;

/**
 * ListObjectsV2. The continuation token is opaque to clients: a versioned, base64url encoding of
 * the last key or prefix returned, validated when it comes back.
 */
final class ListObjectsV2Handler implements Handler {
  private static final String TOKEN_PREFIX = "1:";
  private final S3Services s;

  ListObjectsV2Handler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    ListingParams p = ListingParams.from(call);
    String token = call.query("continuation-token").orElse(null);
    String startAfter = call.query("start-after").orElse(null);
    // An empty token is no token (s3-tests: test_bucket_listv2_continuationtoken_empty).
    String after = token != null && !token.isEmpty() ? decodeToken(token) : startAfter;
    boolean fetchOwner = call.query("fetch-owner").map("true"::equals).orElse(false);
    ListPage page = p.page(s.objects(), b.name(), after);
    Owner owner = fetchOwner ? new Owner(b.owner(), b.owner()) : null;
    var contents = p.contents(page.objects(), owner);
    var prefixes = p.prefixes(page.commonPrefixes());
    call.respondXml(
        200,
        new ListBucketResult(
            S3Xml.NS,
            b.name(),
            p.enc(p.prefix()),
            null,
            null,
            token,
            page.truncated() ? encodeToken(page.nextMarker()) : null,
            p.enc(startAfter),
            contents.size() + prefixes.size(),
            p.maxKeys(),
            p.enc(p.delimiter()),
            p.encodingType(),
            page.truncated(),
            contents,
            prefixes));
  }

  static String encodeToken(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      String t = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (t.startsWith(TOKEN_PREFIX)) {
        return t.substring(TOKEN_PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw badToken();
  }

  /** S3's answer to a continuation token it did not give. */
  static S3ErrorException badToken() {
    return new S3ErrorException(
            S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token");
  }
}
