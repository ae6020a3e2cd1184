package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** S3's error body. */
@JacksonXmlRootElement(localName = "Error")
@JsonPropertyOrder({
  "Code",
  "Message",
  "BucketName",
  "Key",
  "VersionId",
  "Resource",
  "RequestId",
  "HostId"
})
public record ErrorResponse(
    @JacksonXmlProperty(localName = "Code") String code,
    @JacksonXmlProperty(localName = "Message") String message,
    @JacksonXmlProperty(localName = "BucketName") String bucketName,
    @JacksonXmlProperty(localName = "Key") String key,
    @JacksonXmlProperty(localName = "VersionId") String versionId,
    @JacksonXmlProperty(localName = "Resource") String resource,
    @JacksonXmlProperty(localName = "RequestId") String requestId,
    @JacksonXmlProperty(localName = "HostId") String hostId) {}
