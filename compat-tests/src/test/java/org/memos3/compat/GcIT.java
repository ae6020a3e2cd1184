package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.memos3.kv.KvConfig;
import org.memos3.kv.gc.GarbageCollector;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Garbage collection on a real persistent node: overwrite and delete many objects, abort an upload,
 * run GC past its grace period, and count what the grid still holds.
 */
class GcIT {
  static final int MIB = 1024 * 1024;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    KvConfig d = KvConfig.defaults();
    server =
        TestServer.start(
            new KvConfig(
                d.chunkSize(),
                d.writeWindow(),
                d.readWindow(),
                d.inlineLimit(),
                d.casRetries(),
                0,
                0));
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  @Test
  void onlyLiveBlocksRemain() {
    GarbageCollector gc = server.gateway().gc();
    gc.reap();
    gc.sweep();
    gc.sweep();
    long before = gc.status().storedBlocks();
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("gc");
      s3.createBucket(b -> b.bucket(bucket));
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 10; i++) {
          int n = i;
          byte[] data = random(2 * MIB, round * 10 + i);
          s3.putObject(b -> b.bucket(bucket).key("k" + n), RequestBody.fromBytes(data));
        }
      }
      for (int i = 0; i < 5; i++) {
        int n = i;
        s3.deleteObject(b -> b.bucket(bucket).key("k" + n));
      }
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
      s3.uploadPart(
          b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1),
          RequestBody.fromBytes(random(3 * MIB, 99)));
      s3.abortMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id));
      assertThat(gc.status().pendingManifests()).isEqualTo(26);
      GarbageCollector.Report r = gc.reap();
      assertThat(r.manifests()).isEqualTo(26);
      // 5 live objects of 2 chunks each (their small manifests ride in their heads).
      assertThat(gc.status().storedBlocks() - before).isEqualTo(10);
      assertThat(gc.status().pendingManifests()).isZero();
      for (int i = 5; i < 10; i++) {
        int n = i;
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k" + n)).asByteArray())
            .hasSize(2 * MIB);
      }
    }
  }
}
