package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.random;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.cli.Main;
import org.memos3.grid.block.BlockAddress;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Issue 9: admin endpoint (metrics, health, cluster), readiness on close, scrub. */
class OperationsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(String scrape, String nameAndLabels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " ([0-9.Ee+-]+)$").matcher(scrape);
    assertThat(m.find()).as(nameAndLabels + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsHealthAndClusterAfterS3Traffic() throws Exception {
    TestServer server = TestServer.start();
    try {
      int admin = server.gateway().adminPort();
      assertThat(admin).isPositive().isNotEqualTo(server.port());
      String before = get(admin, "/metrics").body();
      double inBefore = metric(before, "memo_s3_received_bytes_total");
      String bucket = bucketName("metrics");
      byte[] data = random(300_000, 9);
      try (S3Client s3 = server.client(true)) {
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("a"), RequestBody.fromBytes(data));
        s3.putObject(b -> b.bucket(bucket).key("b"), RequestBody.fromString("small"));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("a"));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("a").range("bytes=0-9"));
        s3.deleteObject(b -> b.bucket(bucket).key("b"));
        catchThrowable(() -> s3.headObject(b -> b.bucket(bucket).key("missing")));
      }
      HttpResponse<String> r = get(admin, "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      String s = r.body();
      assertThat(
              metric(s, "memo_s3_requests_seconds_count{operation=\"PUT_OBJECT\",status=\"200\"}"))
          .isEqualTo(2);
      assertThat(
              metric(s, "memo_s3_requests_seconds_count{operation=\"HEAD_OBJECT\",status=\"404\"}"))
          .isEqualTo(1);
      // The status sent, not 200 for every success.
      assertThat(
              metric(s, "memo_s3_requests_seconds_count{operation=\"GET_OBJECT\",status=\"206\"}"))
          .isEqualTo(1);
      assertThat(
              metric(
                  s, "memo_s3_requests_seconds_count{operation=\"DELETE_OBJECT\",status=\"204\"}"))
          .isEqualTo(1);
      assertThat(s).contains("memo_s3_requests_seconds_bucket{operation=\"GET_OBJECT\"");
      assertThat(metric(s, "memo_s3_received_bytes_total") - inBefore).isGreaterThan(data.length);
      assertThat(metric(s, "memo_s3_sent_bytes_total")).isGreaterThan(data.length);
      assertThat(metric(s, "memo_s3_inflight_bytes")).isGreaterThanOrEqualTo(0);
      assertThat(metric(s, "memo_s3_slowdown_total")).isZero();
      assertThat(metric(s, "memo_s3_grid_ready")).isEqualTo(1);
      assertThat(metric(s, "memo_s3_ready")).isEqualTo(1);
      // One node, backups 1: every partition has its one copy, nothing moves.
      assertThat(metric(s, "memo_s3_grid_rebalancing_partitions")).isZero();
      assertThat(metric(s, "memo_s3_grid_local_rebalancing_partitions")).isZero();
      assertThat(metric(s, "memo_s3_grid_min_partition_copies")).isEqualTo(1);
      assertThat(metric(s, "memo_s3_grid_local_storage_bytes")).isGreaterThan(0);
      // read at most every 10 s: the first scrape, before the PUTs, may still be cached
      assertThat(metric(s, "memo_s3_grid_blocks")).isGreaterThanOrEqualTo(0);
      // A lone node: the 300,000-byte object is a chunk file.
      assertThat(metric(s, "memo_s3_grid_block_files")).isGreaterThanOrEqualTo(1);
      assertThat(metric(s, "memo_s3_grid_block_file_bytes")).isGreaterThan(300_000);
      assertThat(s)
          .contains("memo_s3_gc_pending_manifests ")
          .contains("memo_s3_gc_reclaimed_blocks_total ");
      assertThat(s).contains("memo_s3_integrity_failures_total ").contains("jvm_memory_used_bytes");

      assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/nothing").statusCode()).isEqualTo(404);
      HttpResponse<String> c = get(admin, "/cluster");
      assertThat(c.statusCode()).isEqualTo(200);
      assertThat(c.body()).contains("\"state\":\"ACTIVE\"").contains("\"lostPartitions\":[]");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc =
          Main.run(
              new String[] {"cluster", "status", "--admin", "127.0.0.1:" + admin},
              new PrintStream(out),
              new PrintStream(new ByteArrayOutputStream()));
      assertThat(rc).as(out.toString()).isZero();
      assertThat(out.toString()).contains("state:     ACTIVE (ready)").contains("servers:   1");
    } finally {
      server.destroy();
    }
  }

  @Test
  void readinessTurns503AsSoonAsCloseStarts() throws Exception {
    TestServer server = TestServer.start();
    try {
      int admin = server.gateway().adminPort();
      assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
      AtomicBoolean closed = new AtomicBoolean();
      Thread closer =
          new Thread(
              () -> {
                server.gateway().close();
                closed.set(true);
              });
      closer.start();
      boolean saw503 = false;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!closed.get() && System.nanoTime() < deadline) {
        try {
          int status = get(admin, "/health/ready").statusCode();
          if (status == 503) {
            saw503 = true;
            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
            break;
          }
          assertThat(status).isEqualTo(200); // close() had not started yet
        } catch (IOException e) {
          break; // admin endpoint already gone
        }
      }
      closer.join();
      assertThat(saw503).as("saw /health/ready answer 503 during close").isTrue();
    } finally {
      server.destroy();
    }
  }

  @Test
  void scrubReportsACorruptBlockAndItsObject() throws Exception {
    TestServer server = TestServer.start();
    try {
      String bucket = bucketName("scrub");
      BlockAddress bad;
      try (S3Client s3 = server.client(true)) {
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("good"), RequestBody.fromBytes(random(50_000, 1)));
        s3.putObject(b -> b.bucket(bucket).key("bad"), RequestBody.fromBytes(random(50_000, 2)));
        var o = server.gateway().objects().find(bucket, "bad").orElseThrow();
        bad = o.manifest().refs().get(0).address();
        var grid = server.gateway().node().grid();
        byte[] stored = grid.blocks().get(bad).orElseThrow();
        stored[stored.length / 2] ^= 0x01;
        grid.overwriteBlockForTesting(bad, stored);
        // a request that meets the damage counts an integrity failure
        catchThrowable(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("bad")));
      }
      String s = get(server.gateway().adminPort(), "/metrics").body();
      assertThat(metric(s, "memo_s3_integrity_failures_total")).isGreaterThanOrEqualTo(1);
      server.close();

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc =
          Main.run(
              new String[] {
                "scrub",
                "--data",
                server.dir.toString(),
                "--discovery-port",
                Integer.toString(TestServer.freePort()),
                "--communication-port",
                Integer.toString(TestServer.freePort()),
                "--data-region-mib",
                "96",
                "--wal-segment-mib",
                "8",
                "--wal-segments",
                "3",
                "--partitions",
                "64"
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream()));
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(rc).as(text).isEqualTo(3);
      assertThat(text).contains("1 corrupt").contains("CORRUPT block " + bad.toHex());
      assertThat(text)
          .contains("CORRUPT chunk block " + bad.toHex() + " of bucket " + bucket + " key bad ")
          .doesNotContain("key good")
          .contains("checked ")
          .contains("DAMAGE FOUND");
    } finally {
      server.destroy();
    }
  }
}
