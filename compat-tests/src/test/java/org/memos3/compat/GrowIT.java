package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A lone node keeps its chunks as files; a second node joins, reads them through the first, the
 * first moves them into the replicated cache, and once every partition has its two copies the first
 * node is killed with {@code kill -9}: the second still serves every object.
 */
class GrowIT {
  private Path work;
  private final List<ServerProcess> nodes = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    ServerProcess.closeKeepingLogs(nodes, work, "GrowIT");
  }

  private static long blockFiles(ServerProcess n) throws Exception {
    Path root = n.dataDir.resolve("blocks");
    try (Stream<Path> s = Files.walk(root, 2)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
          .count();
    }
  }

  private static void log(long t0, String what) {
    System.out.printf("[GrowIT +%.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  @Test
  @Timeout(600)
  void aLoneNodeGrowsIntoAClusterAndItsChunkFilesGetBackups() throws Exception {
    long t0 = System.nanoTime();
    work = Files.createTempDirectory("memo-s3-grow-it");
    Path key = ServerProcess.newMasterKeyFile(work);
    ServerProcess a =
        new ServerProcess("a", work, key).backups(1).extraArgs("--baseline-auto-adjust-ms", "3000");
    ServerProcess b =
        new ServerProcess("b", work, key).backups(1).extraArgs("--baseline-auto-adjust-ms", "3000");
    nodes.addAll(List.of(a, b));
    b.peers(List.of(a.discoveryAddress(), b.discoveryAddress()));

    a.start();
    String bucket = "grow-" + Long.toHexString(System.nanoTime());
    Map<String, String> md5s = new LinkedHashMap<>();
    Random rnd = new Random(11);
    List<ClusterIT.Obj> objs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      objs.add(
          new ClusterIT.Obj(
              String.format("obj/%03d", i), 8192 + rnd.nextInt(2 * 1024 * 1024), rnd.nextLong()));
    }
    try (S3Client sa = a.client(true)) {
      sa.createBucket(r -> r.bucket(bucket));
      ClusterIT.putAll(sa, bucket, objs, md5s, null);
    }
    long files = blockFiles(a);
    assertThat(files).as("chunk files of the lone node").isGreaterThanOrEqualTo(40);
    log(t0, "lone node a stored 40 objects in " + files + " chunk files");

    b.start();
    log(t0, "b joined");
    ServerProcess.Retries retries = new ServerProcess.Retries();
    try (S3Client sb = b.client(true)) {
      retries.deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      ClusterIT.readAll(sb, bucket, md5s, retries, "b");
      log(t0, "40 objects read through b; retries: " + retries);

      assertThat(a.awaitLog(Pattern.compile("moved \\d+ block files"), Duration.ofSeconds(60)))
          .as("a moves its chunk files into the cache; log tail:%n%s", a.logTail(30))
          .isTrue();
      assertThat(blockFiles(a)).isZero();
      assertThat(b.awaitSettled(2, Duration.ofSeconds(180)))
          .as("every partition on both nodes")
          .isTrue();
      log(t0, "files moved, every partition has 2 copies");

      a.kill9();
      log(t0, "a killed (kill -9)");
      retries.deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      ClusterIT.readAll(sb, bucket, md5s, retries, "b");
      log(t0, "40 objects read through b with a dead; retries: " + retries);
    }
    b.stop();
  }
}
