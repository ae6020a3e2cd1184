package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memos3.frontend.error.S3ErrorException;

/**
 * Any form whose parts do not hold their delimiter reads back as it was written, whatever the
 * boundary, the part contents (near-delimiters included) and the sizes the body arrives in; any
 * body at all either parses or is MalformedPOSTRequest, never another failure.
 */
class MultipartFormPropertyTest {
  @Provide
  Arbitrary<String> boundaries() {
    return Arbitraries.strings().withChars("abcXYZ019-_'()+,./:=?").ofMinLength(1).ofMaxLength(70);
  }

  @Provide
  Arbitrary<List<byte[]>> contents() {
    // Bytes drawn mostly from the delimiter's own alphabet, so near-misses are frequent.
    Arbitrary<byte[]> one =
        Arbitraries.bytes()
            .map(b -> (byte) "\r\n-abcXYZ01\u00ff".charAt(Math.floorMod(b, 11)))
            .array(byte[].class)
            .ofMaxSize(3000);
    return one.list().ofMaxSize(6);
  }

  @Property(tries = 300)
  void formsReadBackAsWritten(
      @ForAll("boundaries") String boundary,
      @ForAll("contents") List<byte[]> contents,
      @ForAll @IntRange(min = 1, max = 5000) int readSize,
      @ForAll long seed)
      throws IOException {
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> parts = new ArrayList<>();
    for (byte[] c : contents) {
      if (indexOf(concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), c, delimiter), delimiter)
          == 2 + c.length) {
        parts.add(c); // the delimiter first appears right after the content: usable
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      body.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      body.write(
          ("Content-Disposition: form-data; name=\"f" + i + "\"\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      body.write(parts.get(i));
      body.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    MultipartForm f =
        new MultipartForm(MultipartFormTest.trickle(body.toByteArray(), readSize, seed), boundary);
    for (int i = 0; i < parts.size(); i++) {
      MultipartForm.Part p = f.next();
      assertThat(p.name()).isEqualTo("f" + i);
      assertThat(p.content().readAllBytes()).isEqualTo(parts.get(i));
    }
    assertThat(f.next()).isNull();
  }

  @Property(tries = 500)
  void anyBodyParsesOrIsMalformed(@ForAll("contents") List<byte[]> chunks, @ForAll long seed)
      throws IOException {
    Random r = new Random(seed);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      if (r.nextBoolean()) {
        body.write("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n".getBytes());
      }
      body.write(c);
    }
    try {
      MultipartForm f = new MultipartForm(new ByteArrayInputStream(body.toByteArray()), "b");
      for (MultipartForm.Part p; (p = f.next()) != null; ) {
        InputStream in = p.content();
        in.readAllBytes();
      }
    } catch (S3ErrorException e) {
      assertThat(e.code()).isEqualTo("MalformedPOSTRequest");
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
