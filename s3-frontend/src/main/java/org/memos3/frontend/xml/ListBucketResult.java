package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListObjects (v1) and ListObjectsV2 response; fields of the other version stay null. */
@JacksonXmlRootElement(localName = "ListBucketResult")
@JsonPropertyOrder({
  "xmlns", "Name", "Prefix", "Marker", "NextMarker", "ContinuationToken", "NextContinuationToken",
  "StartAfter", "KeyCount", "MaxKeys", "Delimiter", "EncodingType", "IsTruncated", "Contents",
  "CommonPrefixes"
})
public record ListBucketResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Name") String name,
    @JacksonXmlProperty(localName = "Prefix") String prefix,
    @JacksonXmlProperty(localName = "Marker") String marker,
    @JacksonXmlProperty(localName = "NextMarker") String nextMarker,
    @JacksonXmlProperty(localName = "ContinuationToken") String continuationToken,
    @JacksonXmlProperty(localName = "NextContinuationToken") String nextContinuationToken,
    @JacksonXmlProperty(localName = "StartAfter") String startAfter,
    @JacksonXmlProperty(localName = "KeyCount") Integer keyCount,
    @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
    @JacksonXmlProperty(localName = "Delimiter") String delimiter,
    @JacksonXmlProperty(localName = "EncodingType") String encodingType,
    @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Contents")
        List<Contents> contents,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "CommonPrefixes")
        List<CommonPrefix> commonPrefixes) {

  /** One object. */
  @JsonPropertyOrder({"Key", "LastModified", "ETag", "Size", "Owner", "StorageClass"})
  public record Contents(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "LastModified") String lastModified,
      @JacksonXmlProperty(localName = "ETag") String etag,
      @JacksonXmlProperty(localName = "Size") long size,
      @JacksonXmlProperty(localName = "Owner") Owner owner,
      @JacksonXmlProperty(localName = "StorageClass") String storageClass) {}

  /** One rolled-up prefix. */
  public record CommonPrefix(@JacksonXmlProperty(localName = "Prefix") String prefix) {}
}
