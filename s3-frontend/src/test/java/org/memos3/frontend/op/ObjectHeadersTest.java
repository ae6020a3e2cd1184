package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ObjectHeaders stores and returns of the standard headers. */
class ObjectHeadersTest {
  private static Map<String, String> withoutAwsChunked(String encoding) {
    Map<String, String> h = new HashMap<>(Map.of("content-type", "text/plain"));
    if (encoding != null) {
      h.put("content-encoding", encoding);
    }
    ObjectHeaders.withoutAwsChunked(h);
    return h;
  }

  @Test
  void awsChunkedIsNeitherStoredNorReturned() {
    assertThat(withoutAwsChunked("aws-chunked")).doesNotContainKey("content-encoding");
    assertThat(withoutAwsChunked("AWS-Chunked")).doesNotContainKey("content-encoding");
    assertThat(withoutAwsChunked("aws-chunked,gzip")).containsEntry("content-encoding", "gzip");
    assertThat(withoutAwsChunked("gzip, aws-chunked")).containsEntry("content-encoding", "gzip");
    assertThat(withoutAwsChunked("gzip,br")).containsEntry("content-encoding", "gzip,br");
    assertThat(withoutAwsChunked(null)).containsOnlyKeys("content-type");
  }
}
