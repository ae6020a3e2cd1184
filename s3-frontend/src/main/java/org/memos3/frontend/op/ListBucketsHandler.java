package org.memos3.frontend.op;

import java.util.List;
import org.memos3.frontend.xml.ListAllMyBucketsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;

/**
 * ListBuckets: the buckets the caller owns or holds a grant on (root: all), in name order; with
 * {@code prefix} only the names that start with it, and with {@code max-buckets} (1 to 10,000) a
 * page, the next one named by an opaque {@code continuation-token} (the last name given); {@code
 * bucket-region} other than the gateway's lists none.
 */
final class ListBucketsHandler implements Handler {
  static final int MAX_BUCKETS = 10_000;

  private final S3Services s;

  ListBucketsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    String prefix = call.query("prefix").orElse(null);
    int max = MultipartHandlers.intParam(call, "max-buckets", MAX_BUCKETS, 1, MAX_BUCKETS);
    String after = call.query("continuation-token").map(ListBucketsHandler::decode).orElse(null);
    // Every bucket is in this gateway's region; S3 names it when a parameter was given.
    String regionFilter = call.query("bucket-region").orElse(null);
    boolean withParameters =
        prefix != null
            || after != null
            || regionFilter != null
            || call.query("max-buckets").isPresent();
    String region = withParameters ? s.region() : null;
    List<Bucket> visible =
        s.buckets().list().stream()
            .filter(b -> BucketAccess.lists(call, b, s.rootPrincipal()))
            .filter(b -> prefix == null || b.name().startsWith(prefix))
            .filter(b -> after == null || b.name().compareTo(after) > 0)
            .filter(b -> regionFilter == null || regionFilter.equals(s.region()))
            .sorted(java.util.Comparator.comparing(Bucket::name))
            .toList();
    boolean more = visible.size() > max;
    List<Bucket> page = more ? visible.subList(0, max) : visible;
    call.respondXml(
        200,
        new ListAllMyBucketsResult(
            S3Xml.NS,
            new Owner(call.principal(), call.principal()),
            page.stream()
                .map(
                    b ->
                        new ListAllMyBucketsResult.BucketEntry(
                            b.name(), S3Xml.time(b.createdMillis()), region))
                .toList(),
            more ? ListObjectsV2Handler.encodeToken(page.get(page.size() - 1).name()) : null,
            prefix));
  }

  /** The name a continuation token carries (ListObjectsV2's tokens), if it can be a bucket's. */
  private static String decode(String token) {
    String name = ListObjectsV2Handler.decodeToken(token);
    if (!org.memos3.kv.bucket.BucketNames.isValid(name)) {
      throw ListObjectsV2Handler.badToken();
    }
    return name;
  }
}
