package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListBuckets response. */
@JacksonXmlRootElement(localName = "ListAllMyBucketsResult")
public record ListAllMyBucketsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Owner") Owner owner,
    @JacksonXmlElementWrapper(localName = "Buckets") @JacksonXmlProperty(localName = "Bucket")
        List<BucketEntry> buckets) {

  /** One bucket. */
  public record BucketEntry(
      @JacksonXmlProperty(localName = "Name") String name,
      @JacksonXmlProperty(localName = "CreationDate") String creationDate) {}
}
