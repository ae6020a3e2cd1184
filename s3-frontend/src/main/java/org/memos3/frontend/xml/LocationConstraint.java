package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;

/** GetBucketLocation response (empty for us-east-1, as S3 answers). */
@JacksonXmlRootElement(localName = "LocationConstraint")
public record LocationConstraint(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlText String value) {}
