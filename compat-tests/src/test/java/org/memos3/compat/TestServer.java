package org.memos3.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.memos3.auth.sigv4.Credential;
import org.memos3.frontend.Gateway;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.grid.GridConfig;
import org.memos3.kv.KvConfig;
import org.memos3.kv.user.UserKey;
import org.memos3.kv.user.Users;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real memo-s3 node for tests: a persistent embedded Ignite node in a temp directory (small WAL
 * and region), the Netty endpoint on a free port, and AWS SDK v2 clients for it. Deletes its
 * directory on {@link #destroy()}.
 */
final class TestServer implements AutoCloseable {
  static final String ACCESS_KEY = "TESTACCESSKEY000001";
  static final String SECRET_KEY = "test/secret/key/0123456789abcdefghijklmnop";

  final Path dir;
  private final int discoveryPort;
  private final int communicationPort;
  private Gateway gateway;
  private KvConfig kv = KvConfig.defaults();
  private UnaryOperator<GridConfig> gridChange = g -> g;
  private HttpLimits http = HttpLimits.defaults();

  private TestServer(Path dir) {
    this.dir = dir;
    this.discoveryPort = freePort();
    this.communicationPort = freePort();
  }

  static TestServer start() throws Exception {
    return start(KvConfig.defaults());
  }

  static TestServer start(KvConfig kv) throws Exception {
    return start(kv, HttpLimits.defaults());
  }

  static TestServer start(KvConfig kv, HttpLimits http) throws Exception {
    return start(kv, http, g -> g);
  }

  /**
   * As {@link #start(KvConfig, HttpLimits)}, with the test grid configuration changed by {@code
   * grid}.
   */
  static TestServer start(KvConfig kv, HttpLimits http, UnaryOperator<GridConfig> grid)
      throws Exception {
    TestServer t = new TestServer(Files.createTempDirectory("memo-s3-it"));
    t.kv = kv;
    t.http = http;
    t.gridChange = grid;
    t.restart();
    return t;
  }

  Gateway gateway() {
    return gateway;
  }

  /** Starts (again) on the same data directory. */
  void restart() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    GridConfig grid = gridChange.apply(GridConfig.forTests(dir, discoveryPort, communicationPort));
    gateway =
        Gateway.start(
            new Gateway.Settings(
                grid,
                "127.0.0.1",
                0,
                "us-east-1",
                List.of(),
                null,
                new Credential(ACCESS_KEY, SECRET_KEY, "root"),
                http,
                kv,
                8,
                0));
  }

  String endpoint() {
    return gateway.endpoint();
  }

  int port() {
    return gateway.port();
  }

  S3Client client(boolean defaultChecksums) {
    return client(defaultChecksums, SECRET_KEY);
  }

  S3Client client(boolean defaultChecksums, String secret) {
    return client(defaultChecksums, ACCESS_KEY, secret);
  }

  /**
   * Creates a user with one access key through the key-value API of the running node (the CLI needs
   * a stopped node).
   */
  UserKey createUser(String name) {
    Users users = gateway.node().users();
    users.create(name);
    return users.createKey(name);
  }

  /** A client signing with another user's key. */
  S3Client client(UserKey key) {
    return client(true, key.accessKeyId(), key.secretAccessKey());
  }

  S3Client client(boolean defaultChecksums, String accessKey, String secret) {
    return clientBuilder(defaultChecksums, accessKey, secret).build();
  }

  /** The builder of {@link #client(boolean, String, String)}, for tests that add to it. */
  S3ClientBuilder clientBuilder(boolean defaultChecksums, String accessKey, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .requestChecksumCalculation(
            defaultChecksums
                ? RequestChecksumCalculation.WHEN_SUPPORTED
                : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            defaultChecksums
                ? ResponseChecksumValidation.WHEN_SUPPORTED
                : ResponseChecksumValidation.WHEN_REQUIRED);
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }

  /** Stops the node and deletes its directory. */
  void destroy() {
    close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    return ServerProcess.freePort();
  }
}
