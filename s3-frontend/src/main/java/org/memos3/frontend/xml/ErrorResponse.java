package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.Map;

/**
 * S3's error body; {@code details} are the error's other elements (ArgumentName, ArgumentValue,
 * Condition, MaxSizeAllowed, ...), written after the fixed ones in the order given.
 */
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
    @JacksonXmlProperty(localName = "HostId") String hostId,
    @JsonIgnore Map<String, String> details) {

  /** The other elements, for Jackson. */
  @JsonAnyGetter
  public Map<String, String> otherElements() {
    return details == null ? Map.of() : details;
  }
}
