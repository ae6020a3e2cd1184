package org.memos3.frontend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code memo-s3 snapshot} refusals that need no grid: bad names, missing snapshots, a restore into
 * a non-empty directory or without any master key, and the listing of a directory with none (the
 * snapshots themselves are tested against real nodes in compat-tests' SnapshotIT).
 */
class SnapshotCommandTest {
  private final Path dir;

  SnapshotCommandTest() throws IOException {
    dir = Files.createTempDirectory("memo-s3-snapshot-cli");
  }

  @AfterEach
  void cleanUp() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void usageAndNames() {
    assertThat(run("snapshot").status()).isEqualTo(2);
    assertThat(run("snapshot", "create").status()).isEqualTo(2);
    assertThat(run("snapshot", "--help").out()).contains("snapshot restore SNAPSHOT_DIR");
    Result bad = run("snapshot", "create", "../up", "--data", dir.toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("a snapshot name is");
  }

  @Test
  void listOfADirectoryWithoutSnapshots() {
    Result r = run("snapshot", "list", "--data", dir.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("no snapshots in");
    assertThat(run("snapshot", "list", "--json", "--data", dir.toString()).out().trim())
        .isEqualTo("[]");
  }

  @Test
  void restoreRefusals() throws IOException {
    Result none = run("snapshot", "restore", dir.resolve("nothing").toString(), "--data", "x");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err()).contains("no snapshot in");

    Path snap =
        Files.createDirectories(dir.resolve("snapshots").resolve("s1").resolve("db")).getParent();
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("something"), "x");
    Result nonEmpty = run("snapshot", "restore", snap.toString(), "--data", target.toString());
    assertThat(nonEmpty.status()).isEqualTo(1);
    assertThat(nonEmpty.err()).contains("is not empty");

    Result noKey =
        run("snapshot", "restore", snap.toString(), "--data", dir.resolve("new").toString());
    assertThat(noKey.status()).isEqualTo(2);
    assertThat(noKey.err()).contains("give the same --master-key-file");
    assertThat(dir.resolve("new")).doesNotExist();
  }
}
