package org.memos3.frontend.op;

import org.memos3.frontend.xml.ListBucketResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.list.ListPage;

/** ListObjects (v1): marker paging; NextMarker only with a delimiter, as S3 does. */
final class ListObjectsHandler implements Handler {
  private final S3Services s;

  ListObjectsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    Bucket b = s.ownedBucket(call);
    ListingParams p = ListingParams.from(call);
    String marker = call.query("marker").orElse("");
    ListPage page = p.page(s.objects(), b.name(), marker);
    Owner owner = new Owner(b.owner(), b.owner());
    var contents = p.contents(page.objects(), owner);
    var prefixes = p.prefixes(page.commonPrefixes());
    String next = page.truncated() && p.delimiter() != null ? p.enc(page.nextMarker()) : null;
    call.respondXml(
        200,
        new ListBucketResult(
            S3Xml.NS,
            b.name(),
            p.enc(p.prefix()),
            p.enc(marker),
            next,
            null,
            null,
            null,
            null,
            p.maxKeys(),
            p.enc(p.delimiter()),
            p.encodingType(),
            page.truncated(),
            contents,
            prefixes));
  }
}
