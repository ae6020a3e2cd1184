package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** DeleteObjects response: deleted keys and per-key errors. */
@JacksonXmlRootElement(localName = "DeleteResult")
public record DeleteResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Deleted")
        List<Deleted> deleted,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Error")
        List<KeyError> errors) {

  /** A deleted key (and the delete marker it created or removed, if any). */
  @com.fasterxml.jackson.annotation.JsonPropertyOrder({
    "Key",
    "VersionId",
    "DeleteMarker",
    "DeleteMarkerVersionId"
  })
  public record Deleted(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "VersionId") String versionId,
      @JacksonXmlProperty(localName = "DeleteMarker") Boolean deleteMarker,
      @JacksonXmlProperty(localName = "DeleteMarkerVersionId") String deleteMarkerVersionId) {}

  /** A key that could not be deleted. */
  public record KeyError(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "VersionId") String versionId,
      @JacksonXmlProperty(localName = "Code") String code,
      @JacksonXmlProperty(localName = "Message") String message) {}
}
