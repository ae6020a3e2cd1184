package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memos3.frontend.error.S3ErrorException;

/** Routing and Range parsing of hostile input: S3 errors or a sane value, nothing else. */
class RequestParsingHostileTest {
  private final Router router = new Router(List.of("s3.example"));

  @Provide
  Arbitrary<String> pathish() {
    return Arbitraries.strings().withChars("/%a0Fz.+ ?&=\u00e9").ofMaxLength(80);
  }

  @Property(tries = 1000)
  void routesOrS3Errors(
      @ForAll("pathish") String path,
      @ForAll("pathish") String query,
      @ForAll("methods") String method) {
    try {
      Route r = router.route(method, "/" + path, query, "bucket.s3.example:9000");
      assertThat(r.operation()).isNotNull();
    } catch (S3ErrorException e) {
      assertThat(e.status()).isEqualTo(400);
    }
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS", "FOO");
  }

  @Provide
  Arbitrary<String> ranges() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("bytes=-,0123456789 ").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of(
            "bytes=0-0",
            "bytes=-0",
            "bytes=99999999999999999999-",
            "bytes=5-1",
            "bytes=-",
            "bytes=0-1,3-4"));
  }

  @Property(tries = 1000)
  void rangesAreSaneOrUnsatisfiable(
      @ForAll("ranges") String header,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 100_000) long size) {
    try {
      ByteRange r = ByteRange.parse(header, size);
      if (r != null) {
        assertThat(r.start()).isBetween(0L, size - 1);
        assertThat(r.end()).isBetween(r.start(), size - 1);
      }
    } catch (S3ErrorException e) {
      assertThat(e.code()).isEqualTo("InvalidRange");
    }
  }
}
