package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's aws CLI ({@code /usr/bin/aws}, always by absolute path: a pyenv python may shadow PATH)
 * against a real node: mb, cp up and down (the 20 MiB file goes multipart up and ranged GETs down),
 * ls, rm, rb --force. Skipped when the CLI is missing, unless {@code MEMO_S3_REQUIRE_CLIENTS=1}
 * (CI), where a missing client is a failure.
 */
class AwsCliIT {
  static final Path AWS = Path.of("/usr/bin/aws");
  static final long TIMEOUT_SECONDS = 120;
  static final int[] SIZES = {0, 5 * 1024, 20 * 1024 * 1024};
  static final Pattern LS_LINE = Pattern.compile("^\\S+\\s+\\S+\\s+(\\d+)\\s+(.+)$");

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    requireClient(AWS);
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.destroy();
    }
  }

  static void requireClient(Path exe) {
    if (Files.isExecutable(exe)) {
      return;
    }
    String msg = exe + " is not installed (Debian package awscli)";
    if ("1".equals(System.getenv("MEMO_S3_REQUIRE_CLIENTS"))) {
      fail(msg + " and MEMO_S3_REQUIRE_CLIENTS=1");
    }
    Assumptions.abort(msg + "; set MEMO_S3_REQUIRE_CLIENTS=1 to make this a failure");
  }

  /** The result of one CLI run: exit status and stdout+stderr. */
  record Run(List<String> command, int exit, String output) {
    String describe() {
      return "command: " + String.join(" ", command) + "\nexit: " + exit + "\noutput:\n" + output;
    }
  }

  /** Runs {@code aws --endpoint-url <ep> args...}; fails the test when it does not exit 0. */
  static Run aws(String... args) throws Exception {
    Run r = awsMayFail(args);
    if (r.exit() != 0) {
      fail("aws CLI failed\n" + r.describe());
    }
    return r;
  }

  static Run awsMayFail(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(AWS.toString());
    cmd.add("--endpoint-url");
    cmd.add(server.endpoint());
    cmd.addAll(Arrays.asList(args));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path out = Files.createTempFile(tmp, "aws-", ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", TestServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", TestServer.SECRET_KEY);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-such-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-such-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_PAGER", "");
    env.put("HOME", home.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(
          "aws CLI timed out after "
              + TIMEOUT_SECONDS
              + " s\n"
              + new Run(cmd, -1, read(out)).describe());
    }
    return new Run(cmd, p.exitValue(), read(out));
  }

  static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }

  static String md5(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
  }

  /** Object name to size, from {@code aws s3 ls s3://bucket/} output. */
  static Map<String, Long> listing(Run r) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String line : r.output().split("\n")) {
      Matcher mt = LS_LINE.matcher(line.strip());
      if (mt.matches()) {
        m.put(mt.group(2), Long.parseLong(mt.group(1)));
      }
    }
    return m;
  }

  @Test
  void copyListRemoveWithTheAwsCli() throws Exception {
    String bucket = "awscli-" + UUID.randomUUID().toString().substring(0, 8);
    Path up = Files.createDirectories(tmp.resolve("up"));
    Path down = Files.createDirectories(tmp.resolve("down"));
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int size : SIZES) {
      byte[] data = new byte[size];
      new Random(size).nextBytes(data);
      String name = "file-" + size + ".bin";
      Files.write(up.resolve(name), data);
      expected.put(name, (long) size);
    }

    aws("s3", "mb", "s3://" + bucket);
    assertThat(aws("s3", "ls").output()).contains(bucket);

    for (String name : expected.keySet()) {
      aws("s3", "cp", "--no-progress", up.resolve(name).toString(), "s3://" + bucket + "/" + name);
    }

    Run ls = aws("s3", "ls", "s3://" + bucket + "/");
    assertThat(listing(ls)).as(ls.describe()).isEqualTo(expected);

    for (String name : expected.keySet()) {
      aws(
          "s3",
          "cp",
          "--no-progress",
          "s3://" + bucket + "/" + name,
          down.resolve(name).toString());
      assertThat(Files.size(down.resolve(name))).as(name).isEqualTo(expected.get(name));
      assertThat(md5(down.resolve(name))).as(name).isEqualTo(md5(up.resolve(name)));
    }

    String removed = "file-" + 5 * 1024 + ".bin";
    aws("s3", "rm", "s3://" + bucket + "/" + removed);
    Map<String, Long> remaining = new LinkedHashMap<>(expected);
    remaining.remove(removed);
    Run ls2 = aws("s3", "ls", "s3://" + bucket + "/");
    assertThat(listing(ls2)).as(ls2.describe()).isEqualTo(remaining);

    aws("s3", "rb", "--force", "s3://" + bucket);
    assertThat(aws("s3", "ls").output()).doesNotContain(bucket);
    Run gone = awsMayFail("s3", "ls", "s3://" + bucket + "/");
    assertThat(gone.exit()).as(gone.describe()).isNotZero();
    assertThat(gone.output()).as(gone.describe()).contains("NoSuchBucket");
  }
}
