package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * ListObjectVersions response. As in S3, Version and DeleteMarker elements form one sequence in
 * listing order (keys in byte order, the versions of a key newest first), written by {@link
 * ElementsNamedByType}.
 */
@JacksonXmlRootElement(localName = "ListVersionsResult")
@JsonPropertyOrder({
  "xmlns",
  "Name",
  "Prefix",
  "KeyMarker",
  "VersionIdMarker",
  "NextKeyMarker",
  "NextVersionIdMarker",
  "MaxKeys",
  "Delimiter",
  "EncodingType",
  "IsTruncated",
  "VersionsAndDeleteMarkers",
  "CommonPrefixes"
})
public record ListVersionsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Name") String name,
    @JacksonXmlProperty(localName = "Prefix") String prefix,
    @JacksonXmlProperty(localName = "KeyMarker") String keyMarker,
    @JacksonXmlProperty(localName = "VersionIdMarker") String versionIdMarker,
    @JacksonXmlProperty(localName = "NextKeyMarker") String nextKeyMarker,
    @JacksonXmlProperty(localName = "NextVersionIdMarker") String nextVersionIdMarker,
    @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
    @JacksonXmlProperty(localName = "Delimiter") String delimiter,
    @JacksonXmlProperty(localName = "EncodingType") String encodingType,
    @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
    @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(localName = "VersionsAndDeleteMarkers")
        @JsonSerialize(using = ElementsNamedByType.class)
        List<Entry> entries,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "CommonPrefixes")
        List<ListBucketResult.CommonPrefix> commonPrefixes) {

  /** A Version or a DeleteMarker element. */
  public sealed interface Entry permits Version, DeleteMarker {}

  /** An object version. */
  @JacksonXmlRootElement(localName = "Version")
  @JsonPropertyOrder({
    "Key",
    "VersionId",
    "IsLatest",
    "LastModified",
    "ETag",
    "Size",
    "Owner",
    "StorageClass"
  })
  public record Version(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "VersionId") String versionId,
      @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
      @JacksonXmlProperty(localName = "LastModified") String lastModified,
      @JacksonXmlProperty(localName = "ETag") String etag,
      @JacksonXmlProperty(localName = "Size") long size,
      @JacksonXmlProperty(localName = "Owner") Owner owner,
      @JacksonXmlProperty(localName = "StorageClass") String storageClass)
      implements Entry {}

  /** A delete marker. */
  @JacksonXmlRootElement(localName = "DeleteMarker")
  @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "Owner"})
  public record DeleteMarker(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "VersionId") String versionId,
      @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
      @JacksonXmlProperty(localName = "LastModified") String lastModified,
      @JacksonXmlProperty(localName = "Owner") Owner owner)
      implements Entry {}
}
