package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** The tag set of GetObjectTagging / PutObjectTagging. */
@JacksonXmlRootElement(localName = "Tagging")
public record Tagging(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlElementWrapper(localName = "TagSet") @JacksonXmlProperty(localName = "Tag")
        List<Tag> tagSet) {

  /** One tag. */
  public record Tag(
      @JacksonXmlProperty(localName = "Key") String key,
      @JacksonXmlProperty(localName = "Value") String value) {}
}
