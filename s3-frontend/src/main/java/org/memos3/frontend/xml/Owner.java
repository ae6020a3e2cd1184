package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** An owner element: id and display name. */
public record Owner(
    @JacksonXmlProperty(localName = "ID") String id,
    @JacksonXmlProperty(localName = "DisplayName") String displayName) {}
