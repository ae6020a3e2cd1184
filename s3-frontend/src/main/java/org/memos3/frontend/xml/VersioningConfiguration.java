package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * GetBucketVersioning response and PutBucketVersioning request (Status absent for a bucket never
 * versioned).
 */
@JacksonXmlRootElement(localName = "VersioningConfiguration")
public record VersioningConfiguration(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Status") String status,
    @JacksonXmlProperty(localName = "MfaDelete") String mfaDelete) {}
