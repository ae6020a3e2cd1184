package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** DeleteObjects request body. */
@JacksonXmlRootElement(localName = "Delete")
public record DeleteRequest(
    @JacksonXmlProperty(localName = "Quiet") Boolean quiet,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Object")
        List<ObjectId> objects) {

  /** One key (and optional version) to delete. */
  public record ObjectId(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "VersionId") String versionId) {}
}
