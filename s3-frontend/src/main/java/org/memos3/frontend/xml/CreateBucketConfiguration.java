package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CreateBucket request body. */
@JacksonXmlRootElement(localName = "CreateBucketConfiguration")
public record CreateBucketConfiguration(
    @JacksonXmlProperty(localName = "LocationConstraint") String locationConstraint) {}
