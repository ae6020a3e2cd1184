package org.memos3.frontend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.GridNode;
import org.memos3.grid.LocalPorts;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Permission;

/**
 * {@code memo-s3 user|key|bucket} through {@link Main#run}, each command starting its own grid node
 * on a temp data directory (as on a stopped node), then joining the node that holds it as a client.
 */
class AccessCommandTest {
  private final Path dir;
  private final List<String> common;

  AccessCommandTest() throws IOException {
    dir = Files.createTempDirectory("memo-s3-cli");
    common =
        List.of(
            "--data",
            dir.toString(),
            "--discovery-port",
            String.valueOf(LocalPorts.free()),
            "--communication-port",
            String.valueOf(LocalPorts.free()),
            "--data-region-mib",
            "64");
  }

  @AfterEach
  void cleanUp() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private record Result(int status, String out, String err) {}

  private Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(common);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private GridNode openNode() throws IOException {
    ServeOptions o = ServeOptions.parse(common.toArray(String[]::new));
    return GridNode.open(o.gridConfig(), null);
  }

  @Test
  void usersKeysAndGrants() throws Exception {
    // No node has run on the directory yet: refused, nothing created there.
    Result none = run("user", "list");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err()).contains("no memo-s3 node has run on");
    assertThat(dir.resolve("node-id")).doesNotExist();
    try (GridNode node = openNode()) {
      assertThat(node.buckets().list()).isEmpty();
    }

    Result created = run("user", "create", "alice", "--json");
    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.out()).contains("\"user\":\"alice\"");
    Result again = run("user", "create", "alice");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");

    Result key = run("key", "create", "alice", "--json");
    assertThat(key.status()).as(key.err()).isZero();
    Matcher m =
        Pattern.compile("\\{\"accessKeyId\":\"(MEMU\\w+)\",\"secretAccessKey\":\"([^\"]+)\"}")
            .matcher(key.out().trim());
    assertThat(m.matches()).as(key.out()).isTrue();
    String accessKeyId = m.group(1);
    String secret = m.group(2);

    // A bucket of root's, made the way a running node would, then the grant by the CLI.
    try (GridNode node = openNode()) {
      node.buckets().create("shared-cli", "root");
      assertThat(node.users().findActive(accessKeyId).orElseThrow().secretAccessKey())
          .isEqualTo(secret);
    }
    Result allow = run("bucket", "allow", "shared-cli", "alice", "read", "--json");
    assertThat(allow.status()).as(allow.err()).isZero();
    assertThat(allow.out())
        .contains("\"grants\":{\"alice\":\"read\"}")
        .contains("\"public\":false");
    assertThat(run("bucket", "public", "shared-cli", "on").status()).isZero();
    assertThat(run("bucket", "allow", "shared-cli", "ghost", "read").err())
        .contains("no such user ghost");
    assertThat(run("bucket", "allow", "shared-cli", "alice", "admin").status()).isEqualTo(2);

    Result revoke = run("key", "revoke", accessKeyId);
    assertThat(revoke.status()).as(revoke.err()).isZero();
    Result keys = run("key", "list", "alice", "--json");
    assertThat(keys.out())
        .contains("\"accessKeyId\":\"" + accessKeyId + "\"")
        .contains("\"status\":\"revoked\"");
    Result users = run("user", "--json", "list");
    assertThat(users.out()).startsWith("[{\"user\":\"alice\"");

    try (GridNode node = openNode()) {
      Bucket b = node.buckets().require("shared-cli");
      assertThat(b.grants()).containsEntry("alice", Permission.READ);
      assertThat(b.publicRead()).isTrue();
      assertThat(node.users().findActive(accessKeyId)).isEmpty();

      // While a node holds the data directory, the commands join it as a client.
      Result joined = run("user", "list", "--json");
      assertThat(joined.status()).as(joined.err()).isZero();
      assertThat(joined.out()).startsWith("[{\"user\":\"alice\"");
      Result bob = run("user", "create", "bob");
      assertThat(bob.status()).as(bob.err()).isZero();
      assertThat(node.users().find("bob")).isPresent();
      Result deny = run("bucket", "deny", "shared-cli", "alice");
      assertThat(deny.status()).as(deny.err()).isZero();
      assertThat(node.buckets().require("shared-cli").grants()).isEmpty();
    }
  }
}
