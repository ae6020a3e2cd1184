package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.cli.Main;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** master-key rotate rewraps bucket keys; the data reads back with the new key only. */
class MasterKeyRotationIT {
  @Test
  void rotateThenReadWithTheNewKey() throws Exception {
    TestServer server = TestServer.start();
    String bucket = bucketName("rotate");
    try {
      try (S3Client s3 = server.client(true)) {
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("before rotation"));
      }
      Path keyFile = server.dir.resolve("keys").resolve("master.key");
      String oldKey = Files.readString(keyFile);
      server.close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc =
          Main.run(
              new String[] {
                "master-key",
                "rotate",
                "--data",
                server.dir.toString(),
                "--discovery-port",
                Integer.toString(TestServer.freePort()),
                "--communication-port",
                Integer.toString(TestServer.freePort()),
                "--data-region-mib",
                "64",
                "--wal-segment-mib",
                "8",
                "--wal-segments",
                "3",
                "--partitions",
                "64"
              },
              new PrintStream(out),
              new PrintStream(new ByteArrayOutputStream()));
      assertThat(rc).as(out.toString()).isZero();
      assertThat(out.toString()).contains("1 buckets done");
      assertThat(Files.readString(keyFile)).isNotEqualTo(oldKey);
      assertThat(Files.exists(keyFile.resolveSibling("master.key.next"))).isFalse();
      server.restart();
      try (S3Client s3 = server.client(true)) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
            .isEqualTo("before rotation");
      }
    } finally {
      server.destroy();
    }
  }
}
