package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** CompleteMultipartUpload request body. */
@JacksonXmlRootElement(localName = "CompleteMultipartUpload")
public record CompleteMultipartUpload(
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Part")
        List<PartEntry> parts) {

  /** One chosen part. */
  public record PartEntry(
      @JacksonXmlProperty(localName = "PartNumber") Integer partNumber,
      @JacksonXmlProperty(localName = "ETag") String etag) {}
}
