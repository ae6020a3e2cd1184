package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * PutBucketCors request and GetBucketCors response. A plain class with public fields: Jackson's XML
 * module does not bind repeated elements into records.
 */
@JacksonXmlRootElement(localName = "CORSConfiguration")
public final class CorsConfiguration {
  @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
  public String xmlns;

  @JacksonXmlElementWrapper(useWrapping = false)
  @JacksonXmlProperty(localName = "CORSRule")
  public List<Rule> rules;

  /** One CORSRule. */
  public static final class Rule {
    @JacksonXmlProperty(localName = "ID")
    public String id;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "AllowedHeader")
    public List<String> allowedHeaders;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "AllowedMethod")
    public List<String> allowedMethods;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "AllowedOrigin")
    public List<String> allowedOrigins;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "ExposeHeader")
    public List<String> exposeHeaders;

    @JacksonXmlProperty(localName = "MaxAgeSeconds")
    public String maxAgeSeconds;
  }
}
