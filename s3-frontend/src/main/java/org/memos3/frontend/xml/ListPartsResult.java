package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListParts response. */
@JacksonXmlRootElement(localName = "ListPartsResult")
@JsonPropertyOrder({
  "xmlns",
  "Bucket",
  "Key",
  "UploadId",
  "Initiator",
  "Owner",
  "StorageClass",
  "PartNumberMarker",
  "NextPartNumberMarker",
  "MaxParts",
  "IsTruncated",
  "Part"
})
public record ListPartsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Bucket") String bucket,
    @JacksonXmlProperty(localName = "Key") String key,
    @JacksonXmlProperty(localName = "UploadId") String uploadId,
    @JacksonXmlProperty(localName = "Initiator") Owner initiator,
    @JacksonXmlProperty(localName = "Owner") Owner owner,
    @JacksonXmlProperty(localName = "StorageClass") String storageClass,
    @JacksonXmlProperty(localName = "PartNumberMarker") int partNumberMarker,
    @JacksonXmlProperty(localName = "NextPartNumberMarker") int nextPartNumberMarker,
    @JacksonXmlProperty(localName = "MaxParts") int maxParts,
    @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Part")
        List<PartEntry> parts) {

  /** One part. */
  @JsonPropertyOrder({"PartNumber", "LastModified", "ETag", "Size"})
  public record PartEntry(
      @JacksonXmlProperty(localName = "PartNumber") int partNumber,
      @JacksonXmlProperty(localName = "LastModified") String lastModified,
      @JacksonXmlProperty(localName = "ETag") String etag,
      @JacksonXmlProperty(localName = "Size") long size) {}
}
