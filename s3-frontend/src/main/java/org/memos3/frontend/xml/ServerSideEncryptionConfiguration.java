package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * PutBucketEncryption request and GetBucketEncryption response. A plain class with public fields:
 * Jackson's XML module does not bind repeated elements into records.
 */
@JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration")
public final class ServerSideEncryptionConfiguration {
  @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
  public String xmlns;

  @JacksonXmlElementWrapper(useWrapping = false)
  @JacksonXmlProperty(localName = "Rule")
  public List<Rule> rules;

  /** One Rule. */
  public static final class Rule {
    @JacksonXmlProperty(localName = "ApplyServerSideEncryptionByDefault")
    public Default byDefault;

    @JacksonXmlProperty(localName = "BucketKeyEnabled")
    public Boolean bucketKeyEnabled;

    @JacksonXmlProperty(localName = "BlockedEncryptionTypes")
    public Blocked blocked;
  }

  /** BlockedEncryptionTypes: {@code SSE-C} (blocked) or {@code NONE}. */
  public static final class Blocked {
    @JacksonXmlElementWrapper(useWrapping = false)
    @JacksonXmlProperty(localName = "EncryptionType")
    public List<String> types;
  }

  /** ApplyServerSideEncryptionByDefault. */
  public static final class Default {
    @JacksonXmlProperty(localName = "SSEAlgorithm")
    public String algorithm;

    @JacksonXmlProperty(localName = "KMSMasterKeyID")
    public String kmsMasterKeyId;
  }

  /**
   * The configuration every memo-s3 bucket has: SSE-S3 (AES256), no bucket key, and SSE-C blocked
   * or not as {@code sseCustomerAllowed} says.
   */
  public static ServerSideEncryptionConfiguration aes256(boolean sseCustomerAllowed) {
    Default d = new Default();
    d.algorithm = "AES256";
    Rule r = new Rule();
    r.byDefault = d;
    r.bucketKeyEnabled = false;
    r.blocked = new Blocked();
    r.blocked.types = List.of(sseCustomerAllowed ? "NONE" : "SSE-C");
    ServerSideEncryptionConfiguration c = new ServerSideEncryptionConfiguration();
    c.xmlns = S3Xml.NS;
    c.rules = List.of(r);
    return c;
  }
}
