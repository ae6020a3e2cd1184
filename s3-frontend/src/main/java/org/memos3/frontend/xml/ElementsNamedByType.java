package org.memos3.frontend.xml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import java.io.IOException;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * Writes an unwrapped list of records of several types as one sequence of sibling elements, each
 * named by its record's {@link JacksonXmlRootElement#localName()}, in list order. S3 mixes element
 * names in one sequence this way (Version and DeleteMarker in ListVersionsResult), which two
 * Jackson list properties cannot express: they write all elements of the first list, then all of
 * the second. Put it on a list property with {@code @JacksonXmlElementWrapper(useWrapping =
 * false)}; the property's own name is never written. Write-only.
 */
public final class ElementsNamedByType extends JsonSerializer<List<?>> {
  @Override
  public void serialize(List<?> elements, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    ToXmlGenerator xml = (ToXmlGenerator) gen;
    gen.writeStartArray();
    for (Object e : elements) {
      JacksonXmlRootElement name = e.getClass().getAnnotation(JacksonXmlRootElement.class);
      if (name == null) {
        throw new IllegalStateException(e.getClass() + " has no @JacksonXmlRootElement name");
      }
      // Inside an unwrapped list each element is started under the generator's next name.
      xml.setNextName(new QName(name.localName()));
      provider.defaultSerializeValue(e, gen);
    }
    gen.writeEndArray();
  }
}
