package org.memos3.frontend.op;

import org.memos3.frontend.xml.ListAllMyBucketsResult;
import org.memos3.frontend.xml.Owner;
import org.memos3.frontend.xml.S3Xml;

/** ListBuckets: the caller's buckets in name order. */
final class ListBucketsHandler implements Handler {
  private final S3Services s;

  ListBucketsHandler(S3Services s) {
    this.s = s;
  }

  @Override
  public void handle(Call call) {
    var buckets =
        s.buckets().list().stream()
            .filter(b -> b.owner().equals(call.principal()))
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
