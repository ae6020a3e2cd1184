package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/**
 * PutObjectTagging request body. A plain class, not a record: Jackson's XML module does not bind
 * wrapped lists into record constructors.
 */
@JacksonXmlRootElement(localName = "Tagging")
public final class TaggingRequest {
  @JacksonXmlElementWrapper(localName = "TagSet")
  @JacksonXmlProperty(localName = "Tag")
  public List<TagEntry> tagSet = new ArrayList<>();

  /** One tag. */
  public static final class TagEntry {
    @JacksonXmlProperty(localName = "Key")
    public String key;

    @JacksonXmlProperty(localName = "Value")
    public String value;
  }

  public List<Tagging.Tag> tags() {
    return tagSet == null
        ? List.of()
        : tagSet.stream().map(t -> new Tagging.Tag(t.key, t.value)).toList();
  }
}
