package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CopyObject response: when the copy was written and its (quoted) ETag. */
@JacksonXmlRootElement(localName = "CopyObjectResult")
@JsonPropertyOrder({"xmlns", "LastModified", "ETag"})
public record CopyObjectResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "LastModified") String lastModified,
    @JacksonXmlProperty(localName = "ETag") String etag) {}
