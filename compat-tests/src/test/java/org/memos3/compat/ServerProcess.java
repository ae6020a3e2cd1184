package org.memos3.compat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real memo-s3 server in its own JVM, started from the built jar ({@code
 * s3-frontend/target/memo-s3-s3-frontend-*.jar} plus {@code target/lib/}) exactly as {@code
 * bin/memo-s3 serve} runs it: own data directory, free S3, discovery and communication ports on
 * 127.0.0.1, optional peers, a master key file shared by the nodes of a cluster, fixed root
 * credentials from the environment. Output (stdout and stderr) goes to {@code <name>.log} in the
 * work directory, appended across restarts.
 */
final class ServerProcess implements AutoCloseable {
  static final String ACCESS_KEY = TestServer.ACCESS_KEY;
  static final String SECRET_KEY = TestServer.SECRET_KEY;
  static final String BANNER = "memo-s3 is running";
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private static final String JAR = "memo-s3-s3-frontend-0.1.0-SNAPSHOT.jar";
  private static final String MAIN = "org.memos3.frontend.cli.Main";
  private static final String[] ADD_OPENS = {
    "java.base/jdk.internal.access",
    "java.base/jdk.internal.misc",
    "java.base/sun.nio.ch",
    "java.base/sun.util.calendar",
    "java.management/com.sun.jmx.mbeanserver",
    "jdk.internal.jvmstat/sun.jvmstat.monitor",
    "java.base/sun.reflect.generics.reflectiveObjects",
    "jdk.management/com.sun.management.internal",
    "java.base/java.io",
    "java.base/java.nio",
    "java.base/java.net",
    "java.base/java.util",
    "java.base/java.util.concurrent",
    "java.base/java.util.concurrent.locks",
    "java.base/java.util.concurrent.atomic",
    "java.base/java.lang",
    "java.base/java.lang.invoke",
    "java.base/java.math",
    "java.sql/java.sql",
    "java.base/java.lang.reflect",
    "java.base/java.time",
    "java.base/java.text",
    "java.management/sun.management",
    "java.desktop/java.awt.font"
  };

  final String name;
  final Path dataDir;
  final Path logFile;
  final Path masterKeyFile;
  final int s3Port;
  final int discoveryPort;
  final int communicationPort;
  private final List<String> peers = new ArrayList<>();
  private final List<String> extraArgs = new ArrayList<>();
  private int backups = 1;
  private Process process;
  private long logOffsetAtStart;

  /**
   * A node named {@code name} with its data directory and log under {@code workDir}; not started.
   */
  ServerProcess(String name, Path workDir, Path masterKeyFile) {
    this.name = name;
    this.dataDir = workDir.resolve(name + "-data");
    this.logFile = workDir.resolve(name + ".log");
    this.masterKeyFile = masterKeyFile;
    this.s3Port = freePort();
    this.discoveryPort = freePort();
    this.communicationPort = freePort();
  }

  /**
   * Writes a fresh master key (base64 of 32 random bytes) to {@code dir/master.key}, owner-only.
   */
  static Path newMasterKeyFile(Path dir) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path f = dir.resolve("master.key");
    Files.writeString(f, Base64.getEncoder().encodeToString(key) + "\n");
    f.toFile().setReadable(false, false);
    f.toFile().setReadable(true, true);
    return f;
  }

  ServerProcess peers(List<String> discoveryAddresses) {
    peers.clear();
    peers.addAll(discoveryAddresses);
    return this;
  }

  ServerProcess backups(int n) {
    backups = n;
    return this;
  }

  /** More {@code serve} options, e.g. {@code --data-region-mib 128}. */
  ServerProcess extraArgs(String... args) {
    extraArgs.addAll(List.of(args));
    return this;
  }

  String discoveryAddress() {
    return "127.0.0.1:" + discoveryPort;
  }

  String endpoint() {
    return "http://127.0.0.1:" + s3Port;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  private static Path snapshot;

  /**
   * The built server jar, found relative to the compat-tests module directory (failsafe's working
   * directory), copied with its lib/ directory once per test JVM: a rebuild of s3-frontend while
   * the tests run must not swap classes under running servers.
   */
  static synchronized Path serverJar() throws IOException {
    if (snapshot != null) {
      return snapshot;
    }
    Path jar = Path.of("..", "s3-frontend", "target", JAR).toAbsolutePath().normalize();
    Path lib = jar.getParent().resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "server jar "
              + jar
              + " (with its lib/ directory) is missing: build it first with"
              + " mvn -pl s3-frontend -am package -DskipTests");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Path copy = Files.createTempDirectory("memo-s3-server-jar");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copy)));
      try {
        Path jarCopy = copy.resolve(JAR);
        Files.copy(jar, jarCopy);
        Files.createDirectories(copy.resolve("lib"));
        try (Stream<Path> s = Files.list(lib)) {
          for (Path p : s.toList()) {
            Files.copy(p, copy.resolve("lib").resolve(p.getFileName()));
          }
        }
        // A build running at this moment may leave a half-written jar: check them all.
        try (Stream<Path> s = Stream.concat(Stream.of(jarCopy), Files.list(copy.resolve("lib")))) {
          for (Path p : s.toList()) {
            new java.util.zip.ZipFile(p.toFile()).close();
          }
        }
        snapshot = jarCopy;
        return snapshot;
      } catch (IOException e) {
        last = e;
        deleteTree(copy);
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new IOException("cannot copy a consistent " + jar + " and its lib/", last);
  }

  private List<String> command() throws IOException {
    Path jar = serverJar();
    String javaCmd =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(javaCmd);
    cmd.add("-Xmx384m");
    cmd.add("-DIGNITE_UPDATE_NOTIFIER=false");
    cmd.add("-DIGNITE_WAL_MMAP=false");
    for (String o : ADD_OPENS) {
      cmd.add("--add-opens=" + o + "=ALL-UNNAMED");
    }
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.add("-cp");
    cmd.add(jar + java.io.File.pathSeparator + jar.getParent().resolve("lib") + "/*");
    cmd.add(MAIN);
    cmd.add("serve");
    cmd.addAll(
        List.of(
            "--listen",
            "127.0.0.1:" + s3Port,
            "--data",
            dataDir.toString(),
            "--grid-host",
            "127.0.0.1",
            "--discovery-port",
            Integer.toString(discoveryPort),
            "--communication-port",
            Integer.toString(communicationPort),
            "--backups",
            Integer.toString(backups),
            "--master-key-file",
            masterKeyFile.toString()));
    if (!peers.isEmpty()) {
      cmd.add("--peers");
      cmd.add(String.join(",", peers));
    }
    cmd.addAll(extraArgs);
    return cmd;
  }

  /** Starts the server and waits (at most 120 s) for its banner. */
  void start() throws IOException, InterruptedException {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Files.createDirectories(dataDir);
    logOffsetAtStart = Files.exists(logFile) ? Files.size(logFile) : 0;
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.environment().put("MEMO_S3_ACCESS_KEY_ID", ACCESS_KEY);
    pb.environment().put("MEMO_S3_SECRET_ACCESS_KEY", SECRET_KEY);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    process = pb.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String out = logSinceStart();
      if (out.contains(BANNER)) {
        return;
      }
      if (out.contains("Exception in thread \"main\"")) {
        // The CLI died, but the grid node's threads would keep the JVM up.
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            name + "'s main thread died before its banner; log tail:\n" + logTail(60));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before printing its banner; log tail:\n"
                + logTail(60));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            name + " printed no banner within " + START_TIMEOUT + "; log tail:\n" + logTail(60));
      }
      Thread.sleep(100);
    }
  }

  /** {@code kill -9}: no shutdown hook, no checkpoint, nothing flushed. */
  void kill9() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGTERM; the server must exit 0 within 60 s. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          name + " did not exit within " + STOP_TIMEOUT + " of SIGTERM; log tail:\n" + logTail(60));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          name
              + " exited with "
              + process.exitValue()
              + " after SIGTERM (expected 0); log tail:\n"
              + logTail(60));
    }
  }

  /** SIGTERM (when running), then start again on the same data directory and ports. */
  void restart() throws IOException, InterruptedException {
    if (alive()) {
      stop();
    }
    start();
  }

  /** Waits until the output since the last start matches {@code p}; false on timeout. */
  boolean awaitLog(Pattern p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (p.matcher(logSinceStart()).find()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
  }

  /** The output since the last {@link #start()}. */
  String logSinceStart() {
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long len = f.length();
      if (len <= logOffsetAtStart) {
        return "";
      }
      byte[] b = new byte[(int) (len - logOffsetAtStart)];
      f.seek(logOffsetAtStart);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole log, across restarts. */
  String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * An SDK client for this node without SDK retries (tests count and decide their own retries),
   * with the SDK's default checksums or only the required ones.
   */
  @SuppressWarnings("deprecation") // ApacheHttpClient: the compat tests' HTTP client of choice
  S3Client client(boolean defaultChecksums) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(Duration.ofSeconds(90)))
        .requestChecksumCalculation(
            defaultChecksums
                ? RequestChecksumCalculation.WHEN_SUPPORTED
                : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            defaultChecksums
                ? ResponseChecksumValidation.WHEN_SUPPORTED
                : ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Kills the process if it still runs (for clean-up after a failed test). */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 503/500 answers retried in a bounded window after a topology change; counted. */
  static final class Retries {
    final AtomicInteger count = new AtomicInteger();
    final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    volatile long deadline;

    <T> T run(String what, Callable<T> call) throws Exception {
      while (true) {
        try {
          return call.call();
        } catch (S3Exception e) {
          int s = e.statusCode();
          if ((s == 503 || s == 500) && System.nanoTime() < deadline) {
            count.incrementAndGet();
            byStatus.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(200);
            continue;
          }
          throw new AssertionError(what + " failed: " + e.getMessage(), e);
        }
      }
    }

    @Override
    public String toString() {
      return count.get() + " " + byStatus;
    }
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @Override
  public String toString() {
    return name + "(s3 " + s3Port + ", discovery " + discoveryPort + ")";
  }
}
