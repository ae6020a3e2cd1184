package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code memo-s3 snapshot}: a snapshot of a running server process (taken through a client node),
 * more writes and deletes after it, then {@code snapshot restore} into a fresh data directory while
 * the source still runs, and a server started on the restored directory serves exactly the
 * snapshot's objects with their bytes (MD5), and a user's key made before the snapshot works there
 * (users and the master key came along). Also a snapshot of the stopped directory, and {@code
 * snapshot list}. Every command runs as its own process from the built jar.
 */
class SnapshotIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path work;
  private final List<ServerProcess> servers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("memo-s3-snapshot-it");
  }

  @AfterEach
  void tearDown() {
    servers.forEach(ServerProcess::close);
    ServerProcess.deleteTree(work);
  }

  private static ServerProcess.CliResult cli(String... args) throws Exception {
    ServerProcess.CliResult r = ServerProcess.cli(args);
    assertThat(r.status())
        .as("memo-s3 %s; stdout:%n%s%nstderr:%n%s", List.of(args), r.out(), r.err())
        .isZero();
    return r;
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Key to MD5 of every object of the bucket, read back through GET. */
  private static Map<String, String> contents(S3Client s3, String bucket) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
      byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
      assertThat((long) body.length).isEqualTo(o.size());
      m.put(o.key(), ServerProcess.md5(body));
    }
    return m;
  }

  @Test
  void snapshotOfARunningNodeRestoresIntoAFreshDirectory() throws Exception {
    ServerProcess source = new ServerProcess("source", work, null);
    servers.add(source);
    source.start();
    String bucket = "snap-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> expected = new TreeMap<>();
    String carolKey;
    String carolSecret;
    try (S3Client s3 = source.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      Map<String, byte[]> objects =
          Map.of(
              "small", random(1_000, 1),
              "multi-chunk", random(3 * 1024 * 1024 + 5, 2),
              "empty", new byte[0],
              "dir/nested", random(70_000, 3));
      for (var e : objects.entrySet()) {
        s3.putObject(b -> b.bucket(bucket).key(e.getKey()), RequestBody.fromBytes(e.getValue()));
        expected.put(e.getKey(), ServerProcess.md5(e.getValue()));
      }

      // A user and its key live in the grid, their secret sealed under the master key.
      cli("user", "create", "carol", "--data", source.dataDir.toString());
      JsonNode key =
          JSON.readTree(
              cli("key", "create", "carol", "--json", "--data", source.dataDir.toString()).out());
      carolKey = key.path("accessKeyId").asText();
      carolSecret = key.path("secretAccessKey").asText();

      ServerProcess.CliResult created =
          cli("snapshot", "create", "before", "--data", source.dataDir.toString());
      assertThat(created.out()).contains("snapshot before created");

      // After the snapshot: a new object, an overwrite, a delete.
      s3.putObject(b -> b.bucket(bucket).key("after"), RequestBody.fromBytes(random(500, 4)));
      s3.putObject(b -> b.bucket(bucket).key("small"), RequestBody.fromBytes(random(1_000, 5)));
      s3.deleteObject(b -> b.bucket(bucket).key("multi-chunk"));
      assertThat(contents(s3, bucket)).isNotEqualTo(expected);
    }

    JsonNode list =
        JSON.readTree(cli("snapshot", "list", "--json", "--data", source.dataDir.toString()).out());
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).path("snapshot").asText()).isEqualTo("before");
    assertThat(list.get(0).path("masterKey").asBoolean()).isTrue();
    assertThat(list.get(0).path("nodes").size()).isEqualTo(1);
    Path snapshot = Path.of(list.get(0).path("path").asText());
    assertThat(snapshot).isEqualTo(source.dataDir.resolve("snapshots").resolve("before"));

    // Restored while the source still runs: the restore's own node stays alone on free ports.
    ServerProcess restored = new ServerProcess("restored", work, null);
    servers.add(restored);
    ServerProcess.CliResult r =
        cli("snapshot", "restore", snapshot.toString(), "--data", restored.dataDir.toString());
    assertThat(r.out()).contains("restored snapshot before").contains("(1 buckets)");
    assertThat(restored.dataDir.resolve("keys").resolve("master.key")).exists();
    restored.start();
    try (S3Client s3 = restored.client(true)) {
      assertThat(contents(s3, bucket)).isEqualTo(expected);
    }
    try (S3Client carol = RunningNodeCliIT.client(restored, carolKey, carolSecret)) {
      assertThat(carol.listBuckets().buckets()).isEmpty();
    }
    try (S3Client s3 = source.client(true)) {
      assertThat(contents(s3, bucket)).containsKey("after").doesNotContainKey("multi-chunk");
    }
    restored.stop();

    // A snapshot of the stopped source directory (the command starts its own node on it).
    source.stop();
    ServerProcess.CliResult stopped =
        cli(
            "snapshot",
            "create",
            "stopped",
            "--data",
            source.dataDir.toString(),
            "--discovery-port",
            Integer.toString(ServerProcess.freePort()),
            "--communication-port",
            Integer.toString(ServerProcess.freePort()));
    assertThat(stopped.out()).contains("snapshot stopped created").contains("on the stopped node");
    JsonNode both =
        JSON.readTree(cli("snapshot", "list", "--json", "--data", source.dataDir.toString()).out());
    assertThat(both.findValuesAsText("snapshot")).containsExactly("before", "stopped");
  }
}
