package org.memos3.frontend.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.error.S3ErrorException;

/** The XML reader refuses DTDs, external entities and entity expansion, and never throws raw. */
class S3XmlHostileTest {

  @Test
  void externalEntitiesAreNotResolved() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<CreateBucketConfiguration><LocationConstraint>&x;</LocationConstraint>"
            + "</CreateBucketConfiguration>";
    try {
      CreateBucketConfiguration c =
          S3Xml.read(xxe.getBytes(StandardCharsets.UTF_8), CreateBucketConfiguration.class);
      assertThat(c.locationConstraint()).doesNotContain("root:");
    } catch (S3ErrorException e) {
      assertThat(e.code()).isEqualTo("MalformedXML");
    }
  }

  @Test
  void billionLaughsIsRefusedQuickly() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [");
    b.append("<!ENTITY lol \"lol\">");
    for (int i = 1; i < 10; i++) {
      b.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        b.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
      }
      b.append("\">");
    }
    b.append("]><Delete><Object><Key>&lol9;</Key></Object></Delete>");
    long t0 = System.nanoTime();
    try {
      DeleteRequest d =
          S3Xml.read(b.toString().getBytes(StandardCharsets.UTF_8), DeleteRequest.class);
      // If it parsed at all, the entity was not expanded.
      assertThat(d.objects().get(0).key() == null || d.objects().get(0).key().length() < 1000)
          .isTrue();
    } catch (S3ErrorException e) {
      assertThat(e.code()).isEqualTo("MalformedXML");
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void garbageIsMalformedXml() {
    assertThatThrownBy(() -> S3Xml.read("<Delete><Object>".getBytes(), DeleteRequest.class))
        .isInstanceOfSatisfying(
            S3ErrorException.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
  }

  @Provide
  Arbitrary<String> xmlish() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings()
            .withChars("<>/=\"' &;!?[]DeleteObjectKeyQuietTagSetPartNumberETag0123")
            .ofMaxLength(300));
  }

  @Property(tries = 500)
  void randomBodiesGiveMalformedXmlOrAValue(@ForAll("xmlish") String body) {
    for (Class<?> type :
        new Class<?>[] {
          DeleteRequest.class,
          CompleteMultipartUpload.class,
          CreateBucketConfiguration.class,
          VersioningConfiguration.class,
          TaggingRequest.class
        }) {
      try {
        S3Xml.read(body.getBytes(StandardCharsets.UTF_8), type);
      } catch (S3ErrorException e) {
        assertThat(e.code()).isEqualTo("MalformedXML");
      }
    }
  }
}
