package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Sustained load: 64 concurrent clients of small PUT/GET/HEAD/LIST/DELETE against a server process
 * with {@code -Xmx512m}, for 60 s ({@code -Dload.seconds=600} by hand, or {@code
 * scripts/long-tests.sh}). Every answer must be the expected one or 503 SlowDown, and at least 95%
 * must succeed (today an assumption: the in-flight budget refuses small requests beyond 48 at a
 * time, a product bug; the test then shows as skipped with the measured ratio). The server's RSS,
 * open file descriptors and threads are sampled every 3 s from {@code /proc}: after warm-up (the
 * first third) they must not keep growing (the last third's maximum at most the middle third's
 * maximum plus a tolerance, or for RSS within the planned footprint while the heap, the data region
 * and the checkpoint buffer are still filling). Latency percentiles per operation and the success
 * ratio are printed.
 */
class LoadIT {
  static final int SECONDS = Integer.getInteger("load.seconds", 60);

  /** {@code log-only} (the default) or {@code fsync}: {@code -Dload.wal=fsync}. */
  static final String WAL_MODE = System.getProperty("load.wal", "log-only");

  static final int CLIENTS = 64;
  static final int KEYS_PER_CLIENT = 40;
  static final long SAMPLE_MS = 3000;

  Path work;
  ServerProcess server;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.close();
    }
    if (work != null) {
      Path keep = Path.of("target", "it-logs", "LoadIT");
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

  record Sample(long rssKib, long fds, long threads) {}

  @Test
  @Timeout(7200)
  void sixtyFourClientsWithoutLeaks() throws Exception {
    long t0 = System.nanoTime();
    work = Files.createTempDirectory("memo-s3-load-it");
    server =
        new ServerProcess("load", work, ServerProcess.newMasterKeyFile(work))
            .jvmArgs("-Xmx512m")
            .extraArgs(
                "--data-region-mib",
                "256",
                "--wal-segment-mib",
                "16",
                "--wal-segments",
                "4",
                "--wal-mode",
                WAL_MODE);
    server.start();
    String bucket = "load-" + Long.toHexString(System.nanoTime());
    Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    List<Sample> samples = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    // 2 SDK clients of 32 connections each: one connection per client thread.
    List<S3Client> sdk = List.of(server.client(false), server.client(false));
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      sdk.get(0).createBucket(r -> r.bucket(bucket));
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        S3Client s3 = sdk.get(c % 2);
        fs.add(
            pool.submit(
                () -> {
                  client(s3, bucket, id, stop, latencies, outcomes, unexpected);
                  return null;
                }));
      }
      long end = System.nanoTime() + SECONDS * 1_000_000_000L;
      while (System.nanoTime() < end) {
        samples.add(sample(server.pid()));
        Thread.sleep(SAMPLE_MS);
      }
      stop.set(true);
      for (Future<?> f : fs) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      sdk.forEach(S3Client::close);
    }
    long total = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
    long ok = outcomes.getOrDefault("ok", new AtomicLong()).get();
    long slowDown = outcomes.getOrDefault("503 SlowDown", new AtomicLong()).get();
    log(
        t0,
        String.format(
            "%d requests in %d s (%s WAL): %s", total, SECONDS, WAL_MODE, new TreeMap<>(outcomes)));
    log(t0, String.format("success ratio %.4f (%d of %d)", ok / (double) total, ok, total));
    for (Map.Entry<String, ConcurrentLinkedQueue<Long>> e : new TreeMap<>(latencies).entrySet()) {
      long[] l = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
      log(
          t0,
          String.format(
              "%-6s n=%6d  p50 %6.1f ms  p90 %6.1f ms  p99 %7.1f ms  max %7.1f ms",
              e.getKey(), l.length, pct(l, 50), pct(l, 90), pct(l, 99), l[l.length - 1] / 1e6));
    }
    for (Sample s : samples) {
      log(t0, "sample " + s);
    }
    assertThat(unexpected).as("unexpected answers (first ones)").isEmpty();
    assertThat(ok + slowDown).as("requests that succeeded or got 503 SlowDown").isEqualTo(total);
    assertThat(server.alive()).isTrue();

    int third = samples.size() / 3;
    List<Sample> middle = samples.subList(third, 2 * third);
    List<Sample> last = samples.subList(2 * third, samples.size());
    long rssMid = middle.stream().mapToLong(Sample::rssKib).max().orElseThrow();
    long rssLast = last.stream().mapToLong(Sample::rssKib).max().orElseThrow();
    long fdMid = middle.stream().mapToLong(Sample::fds).max().orElseThrow();
    long fdLast = last.stream().mapToLong(Sample::fds).max().orElseThrow();
    long thMid = middle.stream().mapToLong(Sample::threads).max().orElseThrow();
    long thLast = last.stream().mapToLong(Sample::threads).max().orElseThrow();
    log(
        t0,
        String.format(
            "max RSS %d -> %d MiB, fds %d -> %d, threads %d -> %d (middle -> last third)",
            rssMid / 1024, rssLast / 1024, fdMid, fdLast, thMid, thLast));
    // In 60 s the heap, the data region and Ignite's checkpoint buffer (as large as the region
    // below 1 GiB; pages are copied into it while a checkpoint runs) are still being touched for
    // the first time, so the last third may grow up to that planned footprint (README, Memory:
    // heap + region + checkpoint buffer + 384 MiB); growth beyond both bounds is a leak. The
    // 10-minute form shows the plateau.
    long plannedKib = (512 + 256 + 256 + 384) * 1024L;
    assertThat(rssLast)
        .as("RSS (KiB) of the last third")
        .isLessThanOrEqualTo(Math.max(rssMid * 11 / 10 + 64 * 1024, plannedKib));
    assertThat(fdLast).as("open files of the last third").isLessThanOrEqualTo(fdMid + 16);
    assertThat(thLast).as("threads of the last third").isLessThanOrEqualTo(thMid + 8);
    server.stop();
    assertThat(ok / (double) total)
        .as("success ratio (%d x 503 SlowDown)", slowDown)
        .isGreaterThanOrEqualTo(0.95);
  }

  static void client(
      S3Client s3,
      String bucket,
      int id,
      AtomicBoolean stop,
      Map<String, ConcurrentLinkedQueue<Long>> latencies,
      Map<String, AtomicLong> outcomes,
      ConcurrentLinkedQueue<String> unexpected) {
    Random r = new Random(id);
    Map<String, Integer> mine = new HashMap<>(); // key -> size, as far as this client knows
    while (!stop.get()) {
      int d = r.nextInt(100);
      String op;
      String key = String.format("c%02d/k%02d", id, r.nextInt(KEYS_PER_CLIENT));
      long start = System.nanoTime();
      try {
        if (d < 30 || mine.isEmpty()) {
          op = "PUT";
          byte[] b = new byte[r.nextInt(64 * 1024)];
          r.nextBytes(b);
          s3.putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(b));
          mine.put(key, b.length);
        } else if (d < 60) {
          op = "GET";
          String k = any(mine, r);
          byte[] b = s3.getObjectAsBytes(x -> x.bucket(bucket).key(k)).asByteArray();
          if (b.length != mine.get(k)) {
            unexpected.add("GET " + k + ": " + b.length + " bytes, expected " + mine.get(k));
          }
        } else if (d < 75) {
          op = "HEAD";
          String k = any(mine, r);
          long len = s3.headObject(x -> x.bucket(bucket).key(k)).contentLength();
          if (len != mine.get(k)) {
            unexpected.add("HEAD " + k + ": " + len + ", expected " + mine.get(k));
          }
        } else if (d < 85) {
          op = "LIST";
          int n =
              s3.listObjectsV2(x -> x.bucket(bucket).prefix(String.format("c%02d/", id)))
                  .keyCount();
          if (n != mine.size()) {
            unexpected.add("LIST c" + id + ": " + n + " keys, expected " + mine.size());
          }
        } else {
          op = "DELETE";
          String k = any(mine, r);
          s3.deleteObject(x -> x.bucket(bucket).key(k));
          mine.remove(k);
        }
        outcomes.computeIfAbsent("ok", x -> new AtomicLong()).incrementAndGet();
        latencies
            .computeIfAbsent(op, x -> new ConcurrentLinkedQueue<>())
            .add(System.nanoTime() - start);
      } catch (S3Exception e) {
        String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
        outcomes
            .computeIfAbsent(e.statusCode() + " " + code, x -> new AtomicLong())
            .incrementAndGet();
        if (e.statusCode() != 503 || !"SlowDown".equals(code)) {
          add(unexpected, e.toString());
        }
        // A refused or failed write leaves this client unsure of the key: forget it.
        mine.clear();
        resync(s3, bucket, id, mine);
      } catch (RuntimeException e) {
        outcomes
            .computeIfAbsent(e.getClass().getSimpleName(), x -> new AtomicLong())
            .incrementAndGet();
        add(unexpected, e.toString());
        mine.clear();
        resync(s3, bucket, id, mine);
      }
    }
  }

  /** After an error: learn this client's keys and sizes from a listing (retried until it works). */
  static void resync(S3Client s3, String bucket, int id, Map<String, Integer> mine) {
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        mine.clear();
        s3.listObjectsV2(x -> x.bucket(bucket).prefix(String.format("c%02d/", id)))
            .contents()
            .forEach(o -> mine.put(o.key(), o.size().intValue()));
        return;
      } catch (RuntimeException e) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("client " + id + " cannot list its keys for a minute");
  }

  static void add(ConcurrentLinkedQueue<String> q, String s) {
    if (q.size() < 10) {
      q.add(s);
    }
  }

  static String any(Map<String, Integer> m, Random r) {
    List<String> keys = new ArrayList<>(m.keySet());
    return keys.get(r.nextInt(keys.size()));
  }

  static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * (p / 100.0)))] / 1e6;
  }

  static Sample sample(long pid) throws Exception {
    Path proc = Path.of("/proc", Long.toString(pid));
    long rss = 0;
    long threads = 0;
    for (String line : Files.readAllLines(proc.resolve("status"))) {
      String[] f = line.trim().split("\\s+");
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(f[1]);
      } else if (line.startsWith("Threads:")) {
        threads = Long.parseLong(f[1]);
      }
    }
    long fds;
    try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
      fds = s.count();
    }
    return new Sample(rss, fds, threads);
  }

  static void log(long t0, String what) {
    System.out.printf("[LoadIT +%.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
  }
}
