package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.cli.Main;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code memo-s3 user|key|bucket} against the data directory of a <em>running</em> server process:
 * each command finds the directory locked, joins the node's grid as an Ignite client at the address
 * the node recorded in {@code DIR/grid-address} (the commands get only {@code --data}: the node's
 * ports are not the defaults, so only the recorded address can work) and changes the records
 * through it. The key it creates works against the running node with the AWS SDK, its grant opens
 * the bucket, and its revocation is refused with 403 InvalidAccessKeyId within the credential
 * cache's lifetime (2 s). Some commands run in this JVM through {@link Main#run}, the others as
 * their own process from the built jar, as {@code bin/memo-s3} runs them.
 */
class RunningNodeCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path work;
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("memo-s3-running-cli");
    server = new ServerProcess("node", work, null);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    ServerProcess.deleteTree(work);
  }

  /** In this JVM; asserts the exit status and returns stdout. */
  private String inProcess(int status, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data", server.dataDir.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertThat(rc)
        .as("memo-s3 %s; stdout:%n%s%nstderr:%n%s", all, o, err.toString(StandardCharsets.UTF_8))
        .isEqualTo(status);
    return o;
  }

  /** As its own process; asserts exit status 0 and returns stdout. */
  private String asProcess(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data", server.dataDir.toString()));
    ServerProcess.CliResult r = ServerProcess.cli(all.toArray(String[]::new));
    assertThat(r.status())
        .as("memo-s3 %s; stdout:%n%s%nstderr:%n%s", all, r.out(), r.err())
        .isZero();
    return r.out();
  }

  @SuppressWarnings("deprecation") // ApacheHttpClient: the compat tests' HTTP client of choice
  static S3Client client(ServerProcess server, String accessKeyId, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void usersKeysAndGrantsChangeOnARunningNode() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String bucket = "running-cli-" + suffix;
    String user = "alice-" + suffix;
    try (S3Client root = server.client(true)) {
      root.createBucket(b -> b.bucket(bucket));
      root.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello"));
    }

    JsonNode created = JSON.readTree(inProcess(0, "user", "create", user, "--json"));
    assertThat(created.path("user").asText()).isEqualTo(user);

    JsonNode key = JSON.readTree(asProcess("key", "create", user, "--json"));
    String accessKeyId = key.path("accessKeyId").asText();
    String secret = key.path("secretAccessKey").asText();
    assertThat(accessKeyId).startsWith("MEMU");
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);

    try (S3Client alice = client(server, accessKeyId, secret)) {
      // The new key is known to the running node at once (it was never looked up before).
      assertThat(alice.listBuckets().buckets()).isEmpty();
      assertS3Error(
          () -> alice.getObjectAsBytes(b -> b.bucket(bucket).key("k")), 403, "AccessDenied");

      JsonNode grant =
          JSON.readTree(inProcess(0, "bucket", "allow", bucket, user, "read", "--json"));
      assertThat(grant.path("grants").path(user).asText()).isEqualTo("read");
      assertThat(alice.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("hello");

      JsonNode keys = JSON.readTree(inProcess(0, "key", "list", user, "--json"));
      assertThat(keys.size()).isEqualTo(1);
      assertThat(keys.get(0).path("accessKeyId").asText()).isEqualTo(accessKeyId);
      assertThat(keys.get(0).path("status").asText()).isEqualTo("active");

      asProcess("key", "revoke", accessKeyId);
      long revoked = System.nanoTime();
      S3Exception refused = null;
      while (refused == null && System.nanoTime() - revoked < 10_000_000_000L) {
        try {
          alice.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
          Thread.sleep(100);
        } catch (S3Exception e) {
          refused = e;
        }
      }
      double seconds = (System.nanoTime() - revoked) / 1e9;
      assertThat(refused).as("revoked key still accepted after 10 s").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
      // The node caches a key for 2 s; a few seconds is the promise.
      assertThat(seconds).as("seconds until the revoked key was refused").isLessThan(5.0);
    }

    JsonNode after = JSON.readTree(inProcess(0, "key", "list", user, "--json"));
    assertThat(after.get(0).path("status").asText()).isEqualTo("revoked");

    inProcess(0, "user", "delete", user);
    JsonNode users = JSON.readTree(inProcess(0, "user", "list", "--json"));
    assertThat(users.findValuesAsText("user")).doesNotContain(user);
    try (S3Client root = server.client(true)) {
      assertThat(root.headBucket(b -> b.bucket(bucket)).sdkHttpResponse().isSuccessful()).isTrue();
    }

    // The clients left; the node still serves.
    assertThat(server.alive()).isTrue();
  }

  /** A running node with another master key than the command's: refused, nothing changed. */
  @Test
  void aWrongMasterKeyIsRefused() throws Exception {
    Path other = Files.createDirectories(work.resolve("other-key"));
    Path otherKey = ServerProcess.newMasterKeyFile(other);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {
              "user",
              "create",
              "mallory",
              "--data",
              server.dataDir.toString(),
              "--master-key-file",
              otherKey.toString()
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("master key does not match");
    assertThat(inProcess(0, "user", "list", "--json")).doesNotContain("mallory");
  }

  private static void assertS3Error(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }
}
