package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * PutBucketLifecycleConfiguration request and GetBucketLifecycleConfiguration response. Plain
 * classes with public fields (Jackson's XML module does not bind repeated elements into records);
 * numbers are kept as text so that the handler answers S3's errors for bad ones.
 */
@JacksonXmlRootElement(localName = "LifecycleConfiguration")
public final class LifecycleConfiguration {
  @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
  public String xmlns;

  @JacksonXmlElementWrapper(useWrapping = false)
  @JacksonXmlProperty(localName = "Rule")
  public List<Rule> rules;

  /** One Rule. */
  public static final class Rule {
    @JacksonXmlProperty(localName = "Expiration")
    public Expiration expiration;

    @JacksonXmlProperty(localName = "ID")
    public String id;

    /** The deprecated rule-level prefix. */
    @JacksonXmlProperty(localName = "Prefix")
    public String prefix;

    @JacksonXmlProperty(localName = "Filter")
    public Filter filter;

    @JacksonXmlProperty(localName = "Status")
    public String status;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "Transition")
    public List<Object> transitions;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "NoncurrentVersionTransition")
    public List<Object> noncurrentTransitions;

    @JacksonXmlProperty(localName = "NoncurrentVersionExpiration")
    public NoncurrentVersionExpiration noncurrentVersionExpiration;

    @JacksonXmlProperty(localName = "AbortIncompleteMultipartUpload")
    public AbortIncompleteMultipartUpload abortIncompleteMultipartUpload;
  }

  /** Filter: exactly one of its elements. */
  public static final class Filter {
    @JacksonXmlProperty(localName = "Prefix")
    public String prefix;

    @JacksonXmlProperty(localName = "Tag")
    public Tag tag;

    @JacksonXmlProperty(localName = "ObjectSizeGreaterThan")
    public String objectSizeGreaterThan;

    @JacksonXmlProperty(localName = "ObjectSizeLessThan")
    public String objectSizeLessThan;

    @JacksonXmlProperty(localName = "And")
    public And and;
  }

  /** And: a prefix, tags and sizes that must all hold. */
  public static final class And {
    @JacksonXmlProperty(localName = "Prefix")
    public String prefix;

    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "Tag")
    public List<Tag> tags;

    @JacksonXmlProperty(localName = "ObjectSizeGreaterThan")
    public String objectSizeGreaterThan;

    @JacksonXmlProperty(localName = "ObjectSizeLessThan")
    public String objectSizeLessThan;
  }

  /** One tag of a filter. */
  public static final class Tag {
    @JacksonXmlProperty(localName = "Key")
    public String key;

    @JacksonXmlProperty(localName = "Value")
    public String value;
  }

  /** Expiration of current versions. */
  public static final class Expiration {
    @JacksonXmlProperty(localName = "Date")
    public String date;

    @JacksonXmlProperty(localName = "Days")
    public String days;

    @JacksonXmlProperty(localName = "ExpiredObjectDeleteMarker")
    public String expiredObjectDeleteMarker;
  }

  /** Expiration of noncurrent versions. */
  public static final class NoncurrentVersionExpiration {
    @JacksonXmlProperty(localName = "NoncurrentDays")
    public String noncurrentDays;

    @JacksonXmlProperty(localName = "NewerNoncurrentVersions")
    public String newerNoncurrentVersions;
  }

  /** Abort of incomplete multipart uploads. */
  public static final class AbortIncompleteMultipartUpload {
    @JacksonXmlProperty(localName = "DaysAfterInitiation")
    public String daysAfterInitiation;
  }
}
