package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * ListBuckets response; {@code continuationToken} only when a {@code max-buckets} page left buckets
 * out, {@code prefix} only when the request gave one.
 */
@JacksonXmlRootElement(localName = "ListAllMyBucketsResult")
@JsonPropertyOrder({"xmlns", "Owner", "Bucket", "ContinuationToken", "Prefix"})
public record ListAllMyBucketsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Owner") Owner owner,
    @JacksonXmlElementWrapper(localName = "Buckets") @JacksonXmlProperty(localName = "Bucket")
        List<BucketEntry> buckets,
    @JacksonXmlProperty(localName = "ContinuationToken") String continuationToken,
    @JacksonXmlProperty(localName = "Prefix") String prefix) {

  /** One bucket; its region only when the request used one of ListBuckets' parameters. */
  @JsonPropertyOrder({"Name", "CreationDate", "BucketRegion"})
  public record BucketEntry(
      @JacksonXmlProperty(localName = "Name") String name,
      @JacksonXmlProperty(localName = "CreationDate") String creationDate,
      @JacksonXmlProperty(localName = "BucketRegion") String region) {}
}
