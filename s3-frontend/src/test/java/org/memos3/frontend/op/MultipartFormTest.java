package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.error.S3ErrorException;

class MultipartFormTest {
  static final String B = "XyZ-boundary";

  /** Hands out at most {@code max} bytes a read, as a slow network does. */
  static InputStream trickle(byte[] b, int max, long seed) {
    Random r = new Random(seed);
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, Math.min(len, 1 + r.nextInt(max)));
      }
    };
  }

  static byte[] form(byte[] file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        ("preamble to ignore\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n--"
                + B
                + "\r\ncontent-disposition: form-data; name=\"Content-Type\"\r\n\r\ntext/plain\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.write(file);
    out.write(
        ("\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--"
                + B
                + "--\r\nepilogue")
            .getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void readsFieldsAndAFileWhateverTheReadSizes() throws Exception {
    // A file full of near-delimiters: CRLF, a cut delimiter, the boundary after one dash (a
    // sender picks a boundary its content does not hold, so never the whole delimiter).
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Random r = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      switch (r.nextInt(5)) {
        case 0 -> file.write("\r\n--XyZ-bound".getBytes(StandardCharsets.UTF_8));
        case 1 -> file.write("\r\n".getBytes(StandardCharsets.UTF_8));
        case 2 -> file.write(("-" + B).getBytes(StandardCharsets.UTF_8));
        default -> file.write(r.nextInt(256) | 0x80); // never '-', CR or LF
      }
    }
    byte[] content = file.toByteArray();
    for (int max : new int[] {1, 7, 100, 70_000}) {
      MultipartForm f = new MultipartForm(trickle(form(content), max, max), B);
      MultipartForm.Part key = f.next();
      assertThat(key.name()).isEqualTo("key");
      assertThat(key.filename()).isNull();
      assertThat(key.text(100)).isEqualTo("uploads/${filename}");
      MultipartForm.Part type = f.next();
      assertThat(type.name()).isEqualTo("Content-Type");
      // Not read: next() skips it.
      MultipartForm.Part part = f.next();
      assertThat(part.name()).isEqualTo("file");
      assertThat(part.filename()).isEqualTo("a \"b\".txt");
      assertThat(part.contentType()).isEqualTo("text/plain");
      assertThat(part.content().readAllBytes()).isEqualTo(content);
      assertThat(f.finish(1 << 20)).isTrue();
      assertThat(f.next()).isNull();
    }
  }

  @Test
  void anEmptyFileAndTextOverItsCap() throws Exception {
    MultipartForm f = new MultipartForm(new ByteArrayInputStream(form(new byte[0])), B);
    assertThat(f.next().text(5)).isNull(); // 19 bytes, cap 5
    f.next();
    assertThat(f.next().content().readAllBytes()).isEmpty();
  }

  @Test
  void malformedBodiesAreMalformedPostRequests() {
    String[] bodies = {
      // cut inside a part
      "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc",
      // no name
      "--" + B + "\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--" + B + "--",
      // not form-data
      "--" + B + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nabc\r\n--" + B + "--",
      // garbage after the boundary
      "--" + B + "junk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" + B + "--",
      // headers without end
      "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n" + "X: y\r\n".repeat(3000),
      // no boundary at all
      "just some bytes",
    };
    for (String body : bodies) {
      assertThatThrownBy(
              () -> {
                MultipartForm f =
                    new MultipartForm(
                        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), B);
                for (MultipartForm.Part p; (p = f.next()) != null; ) {
                  p.content().readAllBytes();
                }
              })
          .as(body.length() > 60 ? body.substring(0, 60) : body)
          .isInstanceOfSatisfying(
              S3ErrorException.class, e -> assertThat(e.code()).isEqualTo("MalformedPOSTRequest"));
    }
  }

  @Test
  void boundaryOfTheContentType() {
    assertThat(MultipartForm.boundaryOf("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartForm.boundaryOf("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b\""))
        .isEqualTo("a b");
    assertThat(MultipartForm.boundaryOf("multipart/form-data")).isNull();
    assertThat(MultipartForm.boundaryOf("multipart/form-data; boundary=" + "x".repeat(71)))
        .isNull();
    assertThat(MultipartForm.boundaryOf("application/x-www-form-urlencoded")).isNull();
    assertThat(MultipartForm.boundaryOf(null)).isNull();
  }

  @Test
  void aLimitOnConsumedBytesStopsEndlessPreambles() {
    byte[] body = ("x".repeat(500_000) + "\r\n--" + B + "--").getBytes(StandardCharsets.UTF_8);
    MultipartForm f = new MultipartForm(new ByteArrayInputStream(body), B);
    f.limit(20_000, () -> new IllegalStateException("over"));
    assertThatThrownBy(f::next).hasMessage("over");
    // Read ahead does not count: the limit trips within a buffer of it.
    assertThat(f.consumed()).isLessThan(20_000 + 70_000);
  }

  @Test
  void finishingIsBoundedByBytesNotByParts() throws Exception {
    StringBuilder b =
        new StringBuilder("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nf");
    for (int i = 0; i < 20_000; i++) {
      b.append("\r\n--").append(B).append("\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n");
    }
    b.append("\r\n--").append(B).append("--\r\n");
    MultipartForm f =
        new MultipartForm(
            new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)), B);
    assertThat(f.next().content().readAllBytes()).containsExactly('f');
    assertThat(f.finish(64 * 1024)).isFalse();
    assertThat(f.consumed()).isLessThan(64 * 1024 + 70_000);
  }

  @Test
  void windowsPathsKeepTheirBackslashes() throws Exception {
    String body =
        "--"
            + B
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\Users\\me\\a.jpg\"\r\n\r\n"
            + "x\r\n--"
            + B
            + "--\r\n";
    MultipartForm f =
        new MultipartForm(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), B);
    assertThat(f.next().filename()).isEqualTo("C:\\Users\\me\\a.jpg");
  }

  @Test
  void aPartEndsOnlyWhenWhatFollowsItsDelimiterIsWellFormed() {
    for (String after : new String[] {"", "-", "junk\r\n", " \t x\r\n"}) {
      String body =
          "--"
              + B
              + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--"
              + B
              + after;
      assertThatThrownBy(
              () ->
                  new MultipartForm(
                          new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), B)
                      .next()
                      .content()
                      .readAllBytes())
          .as("after the delimiter: [%s]", after)
          .isInstanceOfSatisfying(
              S3ErrorException.class, e -> assertThat(e.code()).isEqualTo("MalformedPOSTRequest"));
    }
  }
}
