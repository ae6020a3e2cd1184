package org.memos3.frontend.op;

import org.memos3.frontend.xml.ListAllMyBucketsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;

/** ListBuckets: the buckets the caller owns or holds a grant on (root: all), in name order. */
final class ListBucketsHandler implements Handler {
  private final S3Services s;

  ListBucketsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    var buckets =
        s.buckets().list().stream()
            .filter(b -> BucketAccess.lists(call, b, s.rootPrincipal()))
            .map(
                b ->
                    new ListAllMyBucketsResult.BucketEntry(b.name(), S3Xml.time(b.createdMillis())))
            .toList();
    call.respondXml(
        200,
        new ListAllMyBucketsResult(
            S3Xml.NS, new Owner(call.principal(), call.principal()), buckets));
  }
}
