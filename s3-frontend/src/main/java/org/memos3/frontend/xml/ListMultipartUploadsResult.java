package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListMultipartUploads response. */
@JacksonXmlRootElement(localName = "ListMultipartUploadsResult")
@JsonPropertyOrder({
  "xmlns",
  "Bucket",
  "KeyMarker",
  "UploadIdMarker",
  "NextKeyMarker",
  "NextUploadIdMarker",
  "Prefix",
  "Delimiter",
  "MaxUploads",
  "EncodingType",
  "IsTruncated",
  "Upload",
  "CommonPrefixes"
})
public record ListMultipartUploadsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Bucket") String bucket,
    @JacksonXmlProperty(localName = "KeyMarker") String keyMarker,
    @JacksonXmlProperty(localName = "UploadIdMarker") String uploadIdMarker,
    @JacksonXmlProperty(localName = "NextKeyMarker") String nextKeyMarker,
    @JacksonXmlProperty(localName = "NextUploadIdMarker") String nextUploadIdMarker,
    @JacksonXmlProperty(localName = "Prefix") String prefix,
    @JacksonXmlProperty(localName = "Delimiter") String delimiter,
    @JacksonXmlProperty(localName = "MaxUploads") int maxUploads,
    @JacksonXmlProperty(localName = "EncodingType") String encodingType,
    @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Upload")
        List<UploadEntry> uploads,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "CommonPrefixes")
        List<ListBucketResult.CommonPrefix> commonPrefixes) {

  /** One upload in progress. */
  @JsonPropertyOrder({"Key", "UploadId", "Initiator", "Owner", "StorageClass", "Initiated"})
  public record UploadEntry(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "UploadId") String uploadId,
      @JacksonXmlProperty(localName = "Initiator") Owner initiator,
      @JacksonXmlProperty(localName = "Owner") Owner owner,
      @JacksonXmlProperty(localName = "StorageClass") String storageClass,
      @JacksonXmlProperty(localName = "Initiated") String initiated) {}
}
