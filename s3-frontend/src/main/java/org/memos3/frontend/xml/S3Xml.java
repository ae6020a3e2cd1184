package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.xml.stream.XMLInputFactory;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/**
 * The XML mapper for S3 bodies: writes with the XML declaration, reads with DTDs and external
 * entities off (no XXE, no entity expansion) and a size cap checked by the caller.
 */
public final class S3Xml {
  public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper MAPPER = create();

  private S3Xml() {}

  private static ObjectMapper create() {
    XMLInputFactory in = XMLInputFactory.newFactory();
    in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    XmlMapper m = new XmlMapper(new XmlFactory(in));
    m.configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return m;
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write XML", e);
    }
  }

  /** Parses a request body; anything unparsable is S3's {@code MalformedXML}. */
  public static <T> T read(byte[] xml, Class<T> type) {
    try {
      return MAPPER.readValue(xml, type);
    } catch (IOException | RuntimeException e) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
  }

  public static String time(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  public static String text(byte[] xml) {
    return new String(xml, StandardCharsets.UTF_8);
  }
}
