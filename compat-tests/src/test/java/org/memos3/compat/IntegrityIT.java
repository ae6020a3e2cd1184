package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.md5;
import static org.memos3.compat.ObjectRoundTripIT.random;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.kv.object.StoredObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every read is verified, and no plaintext reaches the disk. */
class IntegrityIT {
  static final int MIB = 1024 * 1024;

  /** Flip one byte of a stored chunk: GET fails (500 or a cut body), never the altered bytes. */
  @Test
  void aFlippedByteIsNeverServed() throws Exception {
    TestServer server = TestServer.start();
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("flip");
      s3.createBucket(b -> b.bucket(bucket));
      byte[] data = random(3 * MIB, 5);
      s3.putObject(b -> b.bucket(bucket).key("first"), RequestBody.fromBytes(data));
      s3.putObject(b -> b.bucket(bucket).key("middle"), RequestBody.fromBytes(data));
      corruptChunk(server, bucket, "first", 0);
      corruptChunk(server, bucket, "middle", 1);
      // The first chunk is checked before the status line: a clean 500 InternalError.
      assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("first")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
              });
      // A later chunk: the connection is cut mid-body; the client never gets the whole object.
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("middle")));
      assertThat(t).isNotNull();
      // A range that avoids the damaged chunk still reads.
      byte[] head =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("middle").range("bytes=0-1000"))
              .asByteArray();
      assertThat(md5(head)).isEqualTo(md5(Arrays.copyOfRange(data, 0, 1001)));
    } finally {
      server.destroy();
    }
  }

  private static void corruptChunk(TestServer server, String bucket, String key, int index) {
    StoredObject o = server.gateway().objects().find(bucket, key).orElseThrow();
    BlockAddress a = o.manifest().refs().get(index).address();
    byte[] stored = server.gateway().node().grid().blocks().get(a).orElseThrow();
    stored[stored.length / 2] ^= 0x01;
    server.gateway().node().grid().overwriteBlockForTesting(a, stored);
  }

  /** Object data and user metadata never appear in plaintext under the data directory. */
  @Test
  void noPlaintextAtRest() throws Exception {
    String marker = "MEMO-S3-PLAINTEXT-MARKER-7f3a9c";
    String metaMarker = "METADATA-MARKER-41d2e8";
    TestServer server = TestServer.start();
    try {
      try (S3Client s3 = server.client(true)) {
        String bucket = bucketName("plain");
        s3.createBucket(b -> b.bucket(bucket));
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 3 * MIB) {
          sb.append(marker).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        s3.putObject(
            b -> b.bucket(bucket).key("big").metadata(java.util.Map.of("note", metaMarker)),
            RequestBody.fromBytes(body));
        s3.putObject(
            b -> b.bucket(bucket).key("small").metadata(java.util.Map.of("note", metaMarker)),
            RequestBody.fromString(marker));
      }
      server.close(); // flushes the grid: checkpoint, WAL, everything on disk
      List<Path> hits = new ArrayList<>();
      List<byte[]> needles =
          List.of(
              marker.getBytes(StandardCharsets.UTF_8), metaMarker.getBytes(StandardCharsets.UTF_8));
      long[] scanned = {0};
      try (Stream<Path> files = Files.walk(server.dir)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                f -> {
                  try {
                    byte[] content = Files.readAllBytes(f);
                    scanned[0] += content.length;
                    for (byte[] n : needles) {
                      if (indexOf(content, n) >= 0) {
                        hits.add(f);
                      }
                    }
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
      }
      assertThat(scanned[0]).isGreaterThan(3L * MIB);
      assertThat(hits).isEmpty();
    } finally {
      server.destroy();
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
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
