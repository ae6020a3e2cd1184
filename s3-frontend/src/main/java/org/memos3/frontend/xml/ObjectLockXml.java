package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The Object Lock documents: a bucket's ObjectLockConfiguration, a version's Retention and
 * LegalHold, each read from a request and written in a response. Plain classes with public fields,
 * as the other documents Jackson binds both ways.
 */
public final class ObjectLockXml {
  private ObjectLockXml() {}

  /** Get/PutObjectLockConfiguration. */
  @JacksonXmlRootElement(localName = "ObjectLockConfiguration")
  public static final class Configuration {
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns;

    @JacksonXmlProperty(localName = "ObjectLockEnabled")
    public String enabled;

    @JacksonXmlProperty(localName = "Rule")
    public Rule rule;
  }

  /** The configuration's Rule. */
  public static final class Rule {
    @JacksonXmlProperty(localName = "DefaultRetention")
    public DefaultRetention defaultRetention;
  }

  /** DefaultRetention: a mode and Days or Years. */
  public static final class DefaultRetention {
    @JacksonXmlProperty(localName = "Mode")
    public String mode;

    @JacksonXmlProperty(localName = "Days")
    public Integer days;

    @JacksonXmlProperty(localName = "Years")
    public Integer years;
  }

  /** Get/PutObjectRetention. */
  @JacksonXmlRootElement(localName = "Retention")
  public static final class Retention {
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns;

    @JacksonXmlProperty(localName = "Mode")
    public String mode;

    @JacksonXmlProperty(localName = "RetainUntilDate")
    public String retainUntilDate;
  }

  /** Get/PutObjectLegalHold. */
  @JacksonXmlRootElement(localName = "LegalHold")
  public static final class LegalHold {
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns;

    @JacksonXmlProperty(localName = "Status")
    public String status;
  }
}
