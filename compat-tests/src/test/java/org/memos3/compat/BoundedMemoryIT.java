package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Memory stays bounded whatever the object sizes (issue 7): a server process with {@code -Xmx512m}
 * and {@code --data-region-mib 256}; 8 clients in parallel each upload (one streaming PutObject)
 * and download their own 256 MiB object, then one client a 2 GiB object as a multipart upload of 64
 * MiB parts. Bodies are generated on the fly ({@link GeneratedBody}) and hashed with MD5 while they
 * are sent and while they are received: nothing holds a whole object, in the test either.
 *
 * <p>Checks: every MD5 matches (a single PUT's ETag is its MD5, each part's ETag its MD5, the
 * multipart ETag ends in {@code -N}, the bytes read back hash as the bytes sent), no request is
 * refused (8 uploads fit in the in-flight budget; the clients do not retry), no {@code
 * OutOfMemoryError} in the server's log, the process alive at the end and exiting 0 on SIGTERM, and
 * its peak RSS ({@code VmHWM}) at most heap + data region + {@link #MARGIN_MIB}. The margin is what
 * the JVM and Ignite hold outside both (README, "Memory"): metaspace, code cache, GC structures,
 * thread stacks, malloc arenas, Netty's direct buffer arenas, Ignite's WAL buffer and the pages of
 * its checkpoint buffer that checkpoints touch; 210 to 255 MiB were measured on Java 17. A leak of
 * request or response buffers (4 GiB pass through) or an aggregated body (an OutOfMemoryError in a
 * 512 MiB heap) goes well past it.
 *
 * <p>The log shows the throughput, the RSS after each phase and the largest mappings from {@code
 * /proc/PID/smaps}; {@code -Dmemory.nmt=true} adds the JVM's native memory tracking summary. Sizes
 * can be changed by hand: {@code -Dmemory.small.mib=256 -Dmemory.big.mib=2048}. {@code
 * scripts/big-object.sh} does the same with a 10 GiB object through the aws CLI.
 */
class BoundedMemoryIT {
  static final long MIB = 1024 * 1024;
  static final int HEAP_MIB = 512;
  static final int REGION_MIB = 256;
  static final int MARGIN_MIB = 384;
  static final int CLIENTS = 8;
  static final long SMALL = Long.getLong("memory.small.mib", 256) * MIB;
  static final long BIG = Long.getLong("memory.big.mib", 2048) * MIB;
  static final long PART = 64 * MIB;

  /** {@code -Dmemory.nmt=true}: native memory tracking in the server, its summary in the log. */
  static final boolean NMT = Boolean.getBoolean("memory.nmt");

  Path work;
  ServerProcess server;
  final long t0 = System.nanoTime();

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.close();
    }
    if (work != null) {
      Path keep = Path.of("target", "it-logs", "BoundedMemoryIT");
      Files.createDirectories(keep);
      if (server != null && Files.exists(server.logFile)) {
        Files.copy(
            server.logFile,
            keep.resolve(server.name + ".log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      ServerProcess.deleteTree(work);
    }
  }

  @Test
  @Timeout(1200)
  void eightParallelObjectsThenOneMultipartObjectInBoundedMemory() throws Exception {
    work = Files.createTempDirectory("memo-s3-memory-it");
    server =
        new ServerProcess("memory", work, ServerProcess.newMasterKeyFile(work))
            .jvmArgs("-Xmx" + HEAP_MIB + "m")
            .extraArgs("--data-region-mib", Integer.toString(REGION_MIB));
    if (NMT) {
      server.jvmArgs("-XX:NativeMemoryTracking=summary");
    }
    server.start();
    long pid = server.pid();
    AtomicLong peakSampled = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          try {
            peakSampled.accumulateAndGet(procStatusKib(pid, "VmRSS:"), Math::max);
          } catch (IOException | RuntimeException e) {
            // The process is gone; the assertions below say so.
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
    String bucket = ObjectRoundTripIT.bucketName("memory");
    try {
      try (S3Client s3 = client()) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      log("started, RSS %d MiB", procStatusKib(pid, "VmRSS:") / 1024);

      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Double>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        clients.add(pool.submit(() -> putAndGet(bucket, "small-" + id, 1000 + id)));
      }
      double upSeconds = 0;
      for (Future<Double> f : clients) {
        upSeconds = Math.max(upSeconds, f.get(15, TimeUnit.MINUTES));
      }
      pool.shutdown();
      double phase1 = (System.nanoTime() - start) / 1e9;
      log(
          "%d x %d MiB PUT then GET in parallel: %.1f s (%.1f MiB/s up and down together),"
              + " RSS now %d MiB, peak %d MiB",
          CLIENTS,
          SMALL / MIB,
          phase1,
          2.0 * CLIENTS * SMALL / MIB / phase1,
          procStatusKib(pid, "VmRSS:") / 1024,
          procStatusKib(pid, "VmHWM:") / 1024);

      multipartPutAndGet(bucket, "big", 7);
      log(
          "after the %d MiB object: RSS %d MiB, peak %d MiB",
          BIG / MIB, procStatusKib(pid, "VmRSS:") / 1024, procStatusKib(pid, "VmHWM:") / 1024);
    } finally {
      sampler.shutdownNow();
    }
    assertThat(server.alive()).as("server alive after the run").isTrue();
    log("largest mappings of the server by RSS:%n%s", largestMappings(pid, 12));
    if (NMT) {
      log("native memory of the server:%n%s", jcmd(pid, "VM.native_memory", "summary"));
    }
    long hwmKib = procStatusKib(pid, "VmHWM:");
    long limitMib = HEAP_MIB + REGION_MIB + MARGIN_MIB;
    log(
        "peak RSS %d MiB (VmHWM; sampled peak %d MiB); limit %d MiB = heap %d + region %d +"
            + " margin %d",
        hwmKib / 1024, peakSampled.get() / 1024, limitMib, HEAP_MIB, REGION_MIB, MARGIN_MIB);
    try (S3Client s3 = client()) {
      s3.deleteObject(b -> b.bucket(bucket).key("big"));
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        s3.deleteObject(b -> b.bucket(bucket).key("small-" + id));
      }
      s3.deleteBucket(b -> b.bucket(bucket));
    }
    server.stop();
    assertThat(server.log()).doesNotContain("OutOfMemoryError");
    assertThat(hwmKib / 1024).as("peak RSS (MiB) of the server").isLessThanOrEqualTo(limitMib);
  }

  /** One client: PUT {@link #SMALL} bytes in one streaming request, GET them back; MD5s match. */
  private double putAndGet(String bucket, String key, long seed) throws Exception {
    try (S3Client s3 = client()) {
      long start = System.nanoTime();
      HashingBody body = new HashingBody(seed, 0, SMALL, null);
      String etag =
          s3.putObject(
                  b -> b.bucket(bucket).key(key).contentLength(SMALL),
                  RequestBody.fromContentProvider(
                      body::newStream, SMALL, "application/octet-stream"))
              .eTag();
      double up = (System.nanoTime() - start) / 1e9;
      String sent = body.md5();
      assertThat(etag).as("ETag of %s", key).isEqualTo("\"" + sent + "\"");
      long getStart = System.nanoTime();
      Download d = download(s3, bucket, key);
      log(
          "%s: PUT %.1f s (%.0f MiB/s), GET %.1f s (%.0f MiB/s)",
          key,
          up,
          SMALL / MIB / up,
          (System.nanoTime() - getStart) / 1e9,
          SMALL / MIB / ((System.nanoTime() - getStart) / 1e9));
      assertThat(d.length()).as("length of %s", key).isEqualTo(SMALL);
      assertThat(d.md5()).as("MD5 of %s read back", key).isEqualTo(sent);
      return up;
    }
  }

  /**
   * One client: {@link #BIG} bytes as a multipart upload of {@link #PART} parts sent one after the
   * other (the MD5 of the whole object is taken across them in order), then one GET.
   */
  private void multipartPutAndGet(String bucket, String key, long seed) throws Exception {
    try (S3Client s3 = client()) {
      long start = System.nanoTime();
      String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      List<CompletedPart> parts = new ArrayList<>();
      MessageDigest whole = MessageDigest.getInstance("MD5");
      int partNumber = 0;
      for (long offset = 0; offset < BIG; offset += PART) {
        int n = ++partNumber;
        long length = Math.min(PART, BIG - offset);
        HashingBody body = new HashingBody(seed, offset, length, whole);
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(n)
                            .contentLength(length),
                    RequestBody.fromContentProvider(
                        body::newStream, length, "application/octet-stream"))
                .eTag();
        assertThat(etag).as("ETag of part %d", n).isEqualTo("\"" + body.md5() + "\"");
        whole = body.wholeAfter();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      String etag =
          s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(u -> u.parts(parts)))
              .eTag();
      double up = (System.nanoTime() - start) / 1e9;
      assertThat(etag).endsWith("-" + parts.size() + "\"");
      String sent = HexFormat.of().formatHex(whole.digest());
      long getStart = System.nanoTime();
      Download d = download(s3, bucket, key);
      double down = (System.nanoTime() - getStart) / 1e9;
      log(
          "%s: %d MiB in %d parts up in %.1f s (%.0f MiB/s), down in %.1f s (%.0f MiB/s)",
          key, BIG / MIB, parts.size(), up, BIG / MIB / up, down, BIG / MIB / down);
      assertThat(d.length()).isEqualTo(BIG);
      assertThat(d.md5()).as("MD5 of %s read back", key).isEqualTo(sent);
    }
  }

  record Download(long length, String md5) {}

  private static Download download(S3Client s3, String bucket, String key) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    long n = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      byte[] buf = new byte[256 * 1024];
      int r;
      while ((r = in.read(buf)) > 0) {
        md5.update(buf, 0, r);
        n += r;
      }
    }
    return new Download(n, HexFormat.of().formatHex(md5.digest()));
  }

  /**
   * A generated body whose MD5 is taken while the SDK reads it. Each {@link #newStream()} (the SDK
   * asks again when it re-sends) starts a fresh digest, and a fresh copy of the running MD5 of the
   * whole object when one is given; the last stream's digests count.
   */
  static final class HashingBody {
    private final long seed;
    private final long offset;
    private final long length;
    private final MessageDigest wholeBefore;
    private final AtomicReference<MessageDigest> part = new AtomicReference<>();
    private final AtomicReference<MessageDigest> whole = new AtomicReference<>();

    HashingBody(long seed, long offset, long length, MessageDigest wholeBefore) {
      this.seed = seed;
      this.offset = offset;
      this.length = length;
      this.wholeBefore = wholeBefore;
    }

    InputStream newStream() {
      try {
        MessageDigest p = MessageDigest.getInstance("MD5");
        part.set(p);
        InputStream in = new DigestInputStream(GeneratedBody.range(seed, offset, length), p);
        if (wholeBefore != null) {
          MessageDigest w = (MessageDigest) wholeBefore.clone();
          whole.set(w);
          in = new DigestInputStream(in, w);
        }
        return in;
      } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    String md5() {
      return HexFormat.of().formatHex(part.get().digest());
    }

    MessageDigest wholeAfter() {
      return whole.get();
    }
  }

  @SuppressWarnings("deprecation") // ApacheHttpClient: the compat tests' HTTP client of choice
  private S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(120)))
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(Duration.ofMinutes(15)))
        .build();
  }

  /** The {@code n} mappings of {@code /proc/PID/smaps} with the most resident memory. */
  static String largestMappings(long pid, int n) throws IOException {
    record Mapping(String header, long sizeKib, long rssKib) {}
    List<Mapping> all = new ArrayList<>();
    String header = null;
    long size = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        header = line;
      } else if (line.startsWith("Size:")) {
        size = Long.parseLong(line.substring(5).trim().split("\\s+")[0]);
      } else if (line.startsWith("Rss:") && header != null) {
        all.add(
            new Mapping(header, size, Long.parseLong(line.substring(4).trim().split("\\s+")[0])));
      }
    }
    all.sort((a, b) -> Long.compare(b.rssKib(), a.rssKib()));
    StringBuilder out = new StringBuilder();
    long total = all.stream().mapToLong(Mapping::rssKib).sum();
    for (Mapping m : all.subList(0, Math.min(n, all.size()))) {
      out.append(
          String.format(
              "  rss %6d MiB of %7d MiB  %s%n", m.rssKib() / 1024, m.sizeKib() / 1024, m.header()));
    }
    out.append(String.format("  total rss %d MiB in %d mappings", total / 1024, all.size()));
    return out.toString();
  }

  static String jcmd(long pid, String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  static long procStatusKib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new UncheckedIOException(new IOException(field + " not in /proc/" + pid + "/status"));
  }

  private void log(String format, Object... args) {
    System.out.printf(
        "[BoundedMemoryIT +%.1fs] %s%n",
        (System.nanoTime() - t0) / 1e9, String.format(format, args));
  }
}
