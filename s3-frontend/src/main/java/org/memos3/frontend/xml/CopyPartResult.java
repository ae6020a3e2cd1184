package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** UploadPartCopy response: when the copy was written and its (quoted) ETag. */
@JacksonXmlRootElement(localName = "CopyPartResult")
@JsonPropertyOrder({"xmlns", "LastModified", "ETag"})
public record CopyPartResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "LastModified") String lastModified,
    @JacksonXmlProperty(localName = "ETag") String etag) {}
