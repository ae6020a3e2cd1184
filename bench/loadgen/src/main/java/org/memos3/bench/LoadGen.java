package org.memos3.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The benchmark's load generator. Modes:
 *
 * <ul>
 *   <li>{@code s3 --name N --endpoint URL --pid PID --out FILE [sizes...]}: the large-object,
 *       small-object and listing phases against one S3 endpoint with the AWS SDK v2 async client
 *       (Netty with one event loop per core, path style, us-east-1, checksums WHEN_REQUIRED, no
 *       multipart, {@code --concurrency} chains of requests), the server's VmRSS after each phase;
 *       {@code --latency-log DIR} also writes each timed small phase's per-operation start and
 *       latency to {@code DIR/VERB_SIZE.lat};
 *   <li>{@code disk --dir DIR --out FILE [sizes...]}: the raw-disk ceiling for the large phase: the
 *       same bytes written with FileChannel and fsync'ed, read back through the page cache and with
 *       O_DIRECT;
 *   <li>{@code report ...}: see {@link Report}.
 * </ul>
 *
 * Credentials come from BENCH_ACCESS_KEY_ID / BENCH_SECRET_ACCESS_KEY.
 */
public final class LoadGen {
  static final long MIB = 1024 * 1024;

  private final Args a;
  private final Results out;
  private final int concurrency;
  private final long pid;
  private final boolean fullVerify;

  private LoadGen(Args a) {
    this.a = a;
    this.out = new Results(Path.of(a.require("out")));
    this.concurrency = a.integer("concurrency", 8);
    this.pid = Long.parseLong(a.get("pid", "0"));
    this.fullVerify = a.get("verify", "sample").equals("full");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: LoadGen s3|disk|report [options]");
      System.exit(2);
    }
    switch (args[0]) {
      case "s3" -> new LoadGen(new Args(args, 1)).runS3();
      case "disk" -> new LoadGen(new Args(args, 1)).runDisk();
      case "report" -> Report.main(new Args(args, 1));
      default -> {
        System.err.println("unknown mode " + args[0]);
        System.exit(2);
      }
    }
    System.exit(0);
  }

  static String size(long bytes) {
    if (bytes >= 1024 * MIB && bytes % (1024 * MIB) == 0) {
      return bytes / (1024 * MIB) + "GiB";
    }
    if (bytes >= MIB && bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + "KiB";
    }
    return bytes + "B";
  }

  // ------------------------------------------------------------------------------------------
  // S3 target

  private S3AsyncClient client;
  private final AtomicInteger errors = new AtomicInteger();

  private void runS3() throws Exception {
    String name = a.require("name");
    String id = System.getenv("BENCH_ACCESS_KEY_ID");
    String secret = System.getenv("BENCH_SECRET_ACCESS_KEY");
    int clientThreads = a.integer("client-threads", Runtime.getRuntime().availableProcessors());
    SdkAsyncHttpClient http =
        NettyNioAsyncHttpClient.builder()
            .maxConcurrency(Math.max(64, concurrency * 4))
            .maxPendingConnectionAcquires(100_000)
            // One event loop per core, not the SDK's two: with 8 connections over 2 loops each
            // wake-up finds more responses ready, and the load generator's CPU per 4 KiB GET
            // fell from 0.34-0.38 to 0.28-0.30 core-ms in alternated runs.
            .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(clientThreads))
            .build();
    client =
        S3AsyncClient.builder()
            .httpClient(http)
            .endpointOverride(URI.create(a.require("endpoint")))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(20)))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            // Completions run on the event loop that read the response (see Chains), not on a
            // pool the SDK would hand every one of them to.
            .asyncConfiguration(
                c ->
                    c.advancedOption(
                        SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
            .build();
    System.out.printf(
        "== %s at %s (pid %d), concurrency %d%n", name, a.require("endpoint"), pid, concurrency);
    try {
      warmUp();
      String phases = a.get("phases", "large,small,list");
      if (phases.contains("large")) {
        large();
      }
      if (phases.contains("small")) {
        small();
      }
      if (phases.contains("list")) {
        list();
      }
      if (pid > 0) {
        out.add("rss.peak", "server peak RSS (VmHWM)", "MiB", false, rss("VmHWM"));
      }
    } finally {
      client.close();
      http.close();
    }
    if (errors.get() > 0) {
      System.out.println("FAILED operations: " + errors.get());
      System.exit(1);
    }
  }

  private void createBucket(String b) {
    try {
      client.createBucket(r -> r.bucket(b)).join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof BucketAlreadyOwnedByYouException)) {
        throw e;
      }
      // A second run against the same server (a warm JIT): the bucket is there.
    }
  }

  /** Large warm-up objects PUT, read and deleted together. */
  static final int WARM_UP_LARGE_ROUND = 4;

  /**
   * Untimed: creates the buckets, then runs every small operation of the timed phases ({@code
   * warm-up-ops} of each: PUT, GET and HEAD of 4 KiB and 64 KiB objects, 0-byte PUTs, listing
   * pages, at most 30) under their own keys with the timed phases' operations and checks, then
   * PUTs, GETs and deletes {@code warm-up-large-count} objects of {@code warm-up-large-mib} (12 x
   * 256 MiB, 2 in flight, in rounds of 4 so that a server holding objects in memory needs room for
   * 4 at a time), so that the timed phases measure compiled code in the load generator and the
   * server alike, whichever phase comes first. With 300 small operations the first timed phase ran
   * at 40-60% of the same phase run again; without the large round, the JIT compiled through the
   * first timed GiB (a third of the server's CPU in its first seconds) and a second round of 2 x
   * 256 MiB PUTs ran 22-29% faster than the first, for either server. With 3,000 of each small
   * operation, C2 was still 20-30% of memo-s3's CPU through 20,000 more 4 KiB PUTs (15% in the next
   * 20,000, 5% after that: Ignite's code is large), hence 20,000 by default. Likewise for large
   * objects: after 4 x 128 MiB, memo-s3's CPU per GiB of 2 x 256 MiB PUTs was 5.7 in the first
   * timed round, 4.0 in the second and 3.2-3.6 from the third on (about 3 GiB of traffic), hence 12
   * x 256 MiB by default. Then a quarter of the small operations again ({@code warm-up-ops-again},
   * under other keys): after the large round, C2 recompiled Ignite's write path (deoptimised data
   * page, B+ tree and WAL serializer methods) through the timed 4 KiB PUTs, 11.6 s of compilation
   * in 17 s, and those PUTs cost memo-s3 0.53-0.59 core-ms against 0.35-0.38 with this second round
   * or with no large traffic at all; s3proxy's cost the same either way.
   */
  private void warmUp() {
    createBucket("bench-large");
    createBucket("bench-small");
    createBucket("bench-list");
    long t0 = System.nanoTime();
    int n = a.integer("warm-up-ops", 20000);
    warmUpSmall("warm/", n);
    // At most 30 pages, over the n 0-byte keys: s3proxy's filesystem provider takes seconds per
    // page of a large prefix, and the listing code is small.
    runOps(
        Math.max(1, Math.min(n, 3000) / 100),
        concurrency,
        i -> client.listObjectsV2(r -> r.bucket("bench-small").prefix("warm/0/")),
        null,
        "warm-up LIST");
    long largeMib = a.integer("warm-up-large-mib", 256);
    int largeCount = a.integer("warm-up-large-count", 12);
    for (int from = 0; largeMib > 0 && from < largeCount; from += WARM_UP_LARGE_ROUND) {
      long[] seeds = new long[Math.min(WARM_UP_LARGE_ROUND, largeCount - from)];
      for (int j = 0; j < seeds.length; j++) {
        seeds[j] = 900_000_000L + from + j;
      }
      int conc = Math.min(2, seeds.length);
      String prefix = "warm/large/" + from + "/";
      putLarge(prefix, largeMib * MIB, seeds, conc, "warm-up large PUT");
      getLarge(prefix, largeMib * MIB, seeds, conc, "warm-up large GET");
      deleteLarge(prefix, seeds.length, conc, "warm-up large DELETE");
    }
    int again = largeMib > 0 && largeCount > 0 ? a.integer("warm-up-ops-again", n / 4) : 0;
    warmUpSmall("warm/again/", again);
    System.out.printf(
        Locale.ROOT,
        "  warm-up: %d of each small operation, %d x %d MiB PUT and GET, %d of each small"
            + " operation again, in %.1f s%n",
        n,
        largeCount,
        largeMib,
        again,
        (System.nanoTime() - t0) / 1e9);
  }

  /** {@code n} PUTs, GETs and HEADs of 4 KiB, 64 KiB and 0-byte objects under {@code base}. */
  private void warmUpSmall(String base, int n) {
    for (int size : new int[] {4096, 65536, 0}) {
      String prefix = base + size + "/";
      runOps(n, concurrency, smallPut(prefix, 0, size), null, "warm-up PUT");
      runOps(
          n, concurrency, smallGet(prefix, size, expectedSmall(0, n, size)), null, "warm-up GET");
      runOps(n, concurrency, smallHead(prefix, size), null, "warm-up HEAD");
    }
  }

  /**
   * Runs {@code n} operations with at most {@code conc} in flight; records each latency in {@code
   * lat} (nanos) when given. Returns the elapsed nanos. Failures are counted and the first few
   * printed.
   */
  private long runOps(
      int n, int conc, IntFunction<CompletableFuture<?>> op, long[] lat, String what) {
    Chains chains = new Chains(n, op, lat, what);
    for (int c = 0; c < Math.min(conc, n); c++) {
      chains.next();
    }
    chains.awaitAll();
    String dir = a.get("latency-log", null);
    if (dir != null && lat != null) {
      writeLatencies(
          Path.of(dir, what.replace(' ', '_') + ".lat"), chains.total, chains.starts, lat);
    }
    return chains.total;
  }

  /**
   * {@code n} operations run as a fixed number of chains: each completion starts the chain's next
   * operation on the thread that completed it (the SDK's event loop, see {@link #runS3}). An
   * earlier form had one thread start every operation, woken through a semaphore by each
   * completion, which was itself handed from the event loop to the SDK's completion pool: two
   * thread wake-ups per operation that cost the load generator about a third of its CPU, on the two
   * cores it shares with the server under test.
   */
  private final class Chains {
    private final int n;
    private final IntFunction<CompletableFuture<?>> op;
    private final long[] lat;
    private final String what;
    private final long start = System.nanoTime();
    private final long[] starts;
    private final AtomicInteger issued = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch done;
    private long total;

    /** How deep {@link #next} is on this thread: operations that complete at once recurse. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    Chains(int n, IntFunction<CompletableFuture<?>> op, long[] lat, String what) {
      this.n = n;
      this.op = op;
      this.lat = lat;
      this.what = what;
      this.starts = new long[n];
      this.done = new java.util.concurrent.CountDownLatch(n);
    }

    /** Starts the next operation if any is left; past a small depth, on another thread. */
    void next() {
      int[] d = depth.get();
      if (d[0] > 32) {
        CompletableFuture.runAsync(this::next);
        return;
      }
      int k = issued.getAndIncrement();
      if (k >= n) {
        return;
      }
      d[0]++;
      try {
        long t0 = System.nanoTime();
        starts[k] = t0 - start;
        CompletableFuture<?> f;
        try {
          f = op.apply(k);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete(
            (r, e) -> {
              if (lat != null) {
                lat[k] = System.nanoTime() - t0;
              }
              if (e != null) {
                fail(what + " #" + k, e);
              }
              done.countDown();
              next();
            });
      } finally {
        d[0]--;
      }
    }

    /** Waits for all {@code n} operations; sets {@link #total}. */
    void awaitAll() {
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + ": interrupted", e);
      }
      total = System.nanoTime() - start;
    }
  }

  /**
   * One line per operation of a phase that took {@code total} ns: its start after the phase's start
   * and its latency, in microseconds, after a first line {@code # EPOCH_MS} (the phase's start), to
   * lay slow operations beside a server's logs or a JFR recording.
   */
  private static void writeLatencies(Path file, long total, long[] starts, long[] lat) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(System.currentTimeMillis() - total / 1_000_000).append('\n');
    for (int i = 0; i < starts.length; i++) {
      sb.append(starts[i] / 1000).append(' ').append(lat[i] / 1000).append('\n');
    }
    try {
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void fail(String what, Throwable e) {
    if (errors.incrementAndGet() <= 10) {
      System.out.println("  ERROR " + what + ": " + e);
    }
  }

  private double rss(String field) {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith(field + ":")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      System.out.println("  cannot read /proc/" + pid + "/status: " + e);
    }
    return Double.NaN;
  }

  /**
   * User + system CPU seconds the server process has used so far ({@code /proc/PID/stat}), NaN
   * without a pid. Per-phase differences measure the server's cost per byte, which other load on a
   * shared machine disturbs far less than throughput.
   */
  private double cpuSeconds() {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) start at state, field 3.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      System.out.println("  cannot read /proc/" + pid + "/stat: " + e);
      return Double.NaN;
    }
  }

  private void large() {
    long[] mib = a.longs("large-mib", "256,1024");
    long[] counts = a.longs("large-count", "2,1");
    for (int s = 0; s < mib.length; s++) {
      long size = mib[s] * MIB;
      int count = (int) counts[Math.min(s, counts.length - 1)];
      int conc = Math.min(concurrency, count);
      String sz = size(size);
      System.out.printf("-- large objects: %d x %s, %d in flight%n", count, sz, conc);
      long[] seeds = new long[count];
      for (int j = 0; j < count; j++) {
        seeds[j] = 1_000_000L * (s + 1) + j;
      }
      String prefix = "large/" + sz + "/";
      double cpu0 = cpuSeconds();
      long put = putLarge(prefix, size, seeds, conc, "PUT " + sz);
      double mb = (double) count * size / MIB;
      out.add("large.put." + sz, "large PUT " + sz, "MiB/s", true, mb / (put / 1e9));
      double cpu1 = cpuSeconds();
      out.add(
          "large.put.cpu." + sz,
          "server CPU per GiB, large PUT " + sz,
          "core-s/GiB",
          false,
          (cpu1 - cpu0) / (mb / 1024));
      long get = getLarge(prefix, size, seeds, conc, "GET " + sz);
      out.add("large.get." + sz, "large GET " + sz, "MiB/s", true, mb / (get / 1e9));
      out.add(
          "large.get.cpu." + sz,
          "server CPU per GiB, large GET " + sz,
          "core-s/GiB",
          false,
          (cpuSeconds() - cpu1) / (mb / 1024));
      if (s == mib.length - 1) {
        out.add("rss.large", "server RSS after large phase", "MiB", false, rss("VmRSS"));
      }
      deleteLarge(prefix, count, conc, "DELETE " + sz);
    }
  }

  /** PUTs {@code seeds.length} objects of {@code size} generated bytes; returns the nanos. */
  private long putLarge(String prefix, long size, long[] seeds, int conc, String what) {
    return runOps(
        seeds.length,
        conc,
        j ->
            client.putObject(
                r -> r.bucket("bench-large").key(prefix + j).contentLength(size),
                new GeneratedBody(seeds[j], size)),
        null,
        what);
  }

  /** GETs the objects {@link #putLarge} stored and checks their bytes; returns the nanos. */
  private long getLarge(String prefix, long size, long[] seeds, int conc, String what) {
    String[] expected = new String[seeds.length];
    for (int j = 0; j < seeds.length; j++) {
      expected[j] = Content.expectedDigest(seeds[j], size, fullVerify);
    }
    return runOps(
        seeds.length,
        conc,
        j ->
            client
                .getObject(
                    r -> r.bucket("bench-large").key(prefix + j),
                    AsyncResponseTransformer.toPublisher())
                .thenCompose(
                    rp -> {
                      Content.Digest d = new Content.Digest(fullVerify);
                      return rp.subscribe(d::update).thenApply(v -> d);
                    })
                .thenAccept(d -> check(prefix + j, size, expected[j], d)),
        null,
        what);
  }

  private void deleteLarge(String prefix, int count, int conc, String what) {
    runOps(
        count,
        conc,
        j -> client.deleteObject(r -> r.bucket("bench-large").key(prefix + j)),
        null,
        what);
  }

  private static void check(String key, long size, String expected, Content.Digest d) {
    if (d.count() != size) {
      throw new IllegalStateException(key + ": got " + d.count() + " bytes, expected " + size);
    }
    String got = d.hex();
    if (!got.equals(expected)) {
      throw new IllegalStateException(key + ": MD5 " + got + ", expected " + expected);
    }
  }

  private void small() {
    long[] sizes = a.longs("small-sizes", "4096,65536");
    int n = a.integer("small-count", 20000);
    String which = a.get("small-ops", "put,get,head");
    for (long sizeL : sizes) {
      int size = (int) sizeL;
      String sz = size(size);
      System.out.printf("-- small objects: %d x %s, %d in flight%n", n, sz, concurrency);
      String prefix = "small/" + sz + "/";
      long base = 10_000_000L * size;
      long[] lat = new long[n];
      if (which.contains("put")) {
        timed(n, lat, "PUT", sz, smallPut(prefix, base, size));
      }
      if (which.contains("get")) {
        timed(n, lat, "GET", sz, smallGet(prefix, size, expectedSmall(base, n, size)));
      }
      if (which.contains("head")) {
        timed(n, lat, "HEAD", sz, smallHead(prefix, size));
      }
    }
    out.add("rss.small", "server RSS after small phase", "MiB", false, rss("VmRSS"));
  }

  /** PUT {@code i}: object {@code prefix + i}, {@code size} bytes generated from seed base + i. */
  private IntFunction<CompletableFuture<?>> smallPut(String prefix, long base, int size) {
    return i ->
        client.putObject(
            r -> r.bucket("bench-small").key(prefix + i).contentLength((long) size),
            AsyncRequestBody.fromBytes(Content.bytes(base + i, size)));
  }

  /** The digests {@link #smallGet} checks the objects {@link #smallPut} stored against. */
  private String[] expectedSmall(long base, int n, int size) {
    String[] expected = new String[n];
    for (int i = 0; i < n; i++) {
      expected[i] = Content.expectedDigest(base + i, size, fullVerify);
    }
    return expected;
  }

  /** GET {@code i}: object {@code prefix + i}, checked against {@code expected[i]}. */
  private IntFunction<CompletableFuture<?>> smallGet(String prefix, int size, String[] expected) {
    return i ->
        client
            .getObject(
                r -> r.bucket("bench-small").key(prefix + i), AsyncResponseTransformer.toBytes())
            .thenAccept(
                rb -> {
                  Content.Digest d = new Content.Digest(fullVerify);
                  d.update(rb.asByteBuffer());
                  check(prefix + i, size, expected[i], d);
                });
  }

  /** HEAD {@code i}: object {@code prefix + i}, whose length must be {@code size}. */
  private IntFunction<CompletableFuture<?>> smallHead(String prefix, int size) {
    return i ->
        client
            .headObject(r -> r.bucket("bench-small").key(prefix + i))
            .thenAccept(
                h -> {
                  if (h.contentLength() != size) {
                    throw new IllegalStateException(
                        prefix + i + ": HEAD says " + h.contentLength());
                  }
                });
  }

  /** One timed small-object phase: {@code n} operations {@code verb} of size {@code sz}. */
  private void timed(
      int n, long[] lat, String verb, String sz, IntFunction<CompletableFuture<?>> op) {
    double serverCpu0 = cpuSeconds();
    double ownCpu0 = ownCpuSeconds();
    long t = runOps(n, concurrency, op, lat, verb + " " + sz);
    double serverCpu = cpuSeconds() - serverCpu0;
    double ownCpu = ownCpuSeconds() - ownCpu0;
    String key = "small." + verb.toLowerCase(Locale.ROOT) + "." + sz;
    ops(key, "small " + verb + " " + sz, n, t, serverCpu, ownCpu, lat);
  }

  /** CPU seconds this process (the load generator and its SDK client) has used so far. */
  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * Figures of a phase of {@code n} operations in {@code nanos}: ops/s, the server's and this
   * process's CPU seconds per op, p50, p99.
   */
  private void ops(
      String key, String label, int n, long nanos, double serverCpu, double ownCpu, long[] lat) {
    out.add(key + ".ops", label + " ops/s", "ops/s", true, n / (nanos / 1e9));
    out.add(key + ".cpu", label + " server CPU per op", "core-ms", false, serverCpu * 1000 / n);
    // The client's share of the same two cores: with it, the ops/s that a server costing nothing
    // would reach here is cores / (client CPU per op).
    out.add(
        key + ".client-cpu",
        label + " load generator CPU per op",
        "core-ms",
        false,
        ownCpu * 1000 / n);
    long[] s = lat.clone();
    Arrays.sort(s);
    out.add(key + ".p50", label + " p50", "ms", false, s[(int) ((n - 1) * 0.50)] / 1e6);
    out.add(key + ".p99", label + " p99", "ms", false, s[(int) ((n - 1) * 0.99)] / 1e6);
  }

  private void list() throws Exception {
    int n = a.integer("list-keys", 100_000);
    String nk = n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : Integer.toString(n);
    System.out.printf("-- listing: %d keys, inserted %d in flight%n", n, concurrency);
    long[] lat = new long[n];
    long t =
        runOps(
            n,
            concurrency,
            i ->
                client.putObject(
                    r ->
                        r.bucket("bench-list")
                            .key(String.format(Locale.ROOT, "dir%02d/obj%07d", i % 10, i))
                            .contentLength(0L),
                    AsyncRequestBody.empty()),
            lat,
            "PUT 0B");
    out.add("list.insert.ops", "list: insert 0-byte PUT ops/s", "ops/s", true, n / (t / 1e9));
    Arrays.sort(lat);
    out.add("list.insert.p99", "list: insert p99", "ms", false, lat[(int) ((n - 1) * 0.99)] / 1e6);

    // One pass, one page at a time (1,000 keys a page), stopped after list-seconds.
    long cap = Duration.ofSeconds(a.integer("list-seconds", 30)).toNanos();
    long t0 = System.nanoTime();
    long[] pass = fullPass(t0 + cap);
    long seq = System.nanoTime() - t0;
    if (pass[1] != n && pass[2] == 1) {
      fail("ListObjectsV2", new IllegalStateException("listed " + pass[1] + " keys of " + n));
    }
    System.out.printf(
        "  (1 lister: %d pages, %d keys, %s)%n",
        pass[0], pass[1], pass[2] == 1 ? "complete" : "stopped at the time cap");
    out.add(
        "list.pages.seq",
        "ListObjectsV2 " + nk + " keys, 1 lister",
        "pages/s",
        true,
        pass[0] / (seq / 1e9));

    // `concurrency` listers, each a full pass, stopped after list-seconds.
    long deadline = System.nanoTime() + cap;
    ExecutorService ex = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> fs = new ArrayList<>();
    t0 = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      fs.add(ex.submit(() -> fullPass(deadline)));
    }
    long pages = 0;
    for (Future<long[]> f : fs) {
      pages += f.get()[0];
    }
    long par = System.nanoTime() - t0;
    ex.shutdown();
    out.add(
        "list.pages.par",
        "ListObjectsV2 " + nk + " keys, " + concurrency + " listers",
        "pages/s",
        true,
        pages / (par / 1e9));
    out.add("rss.list", "server RSS after list phase", "MiB", false, rss("VmRSS"));
  }

  /** Lists bench-list from the start until the end or the deadline: {pages, keys, 1 if done}. */
  private long[] fullPass(long deadline) {
    String token = null;
    long pages = 0;
    long keys = 0;
    do {
      final String tk = token;
      ListObjectsV2Response r =
          client
              .listObjectsV2(q -> q.bucket("bench-list").maxKeys(1000).continuationToken(tk))
              .join();
      pages++;
      keys += r.keyCount();
      token = r.isTruncated() ? r.nextContinuationToken() : null;
    } while (token != null && System.nanoTime() < deadline);
    return new long[] {pages, keys, token == null ? 1 : 0};
  }

  // ------------------------------------------------------------------------------------------
  // Disk ceiling

  private void runDisk() throws Exception {
    Path dir = Path.of(a.require("dir"));
    Files.createDirectories(dir);
    long[] mib = a.longs("large-mib", "256,1024");
    long[] counts = a.longs("large-count", "2,1");
    System.out.printf("== disk ceiling in %s%n", dir);
    for (int s = 0; s < mib.length; s++) {
      long size = mib[s] * MIB;
      int count = (int) counts[Math.min(s, counts.length - 1)];
      int conc = Math.min(concurrency, count);
      String sz = size(size);
      double mb = (double) count * size / MIB;
      ExecutorService ex = Executors.newFixedThreadPool(conc);
      List<Path> files = new ArrayList<>();
      for (int j = 0; j < count; j++) {
        files.add(dir.resolve("obj-" + sz + "-" + j));
      }
      final int sIdx = s;
      long t =
          parallel(
              ex,
              count,
              j -> {
                byte[] buf = new byte[(int) MIB];
                try (FileChannel ch =
                    FileChannel.open(
                        files.get(j),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                  long seed = 1_000_000L * (sIdx + 1) + j;
                  for (long pos = 0; pos < size; pos += MIB) {
                    Content.fill(seed, pos, buf, 0, (int) MIB);
                    ByteBuffer b = ByteBuffer.wrap(buf);
                    while (b.hasRemaining()) {
                      ch.write(b);
                    }
                  }
                  ch.force(true);
                }
              });
      out.add("large.put." + sz, "large PUT " + sz, "MiB/s", true, mb / (t / 1e9));
      t =
          parallel(
              ex,
              count,
              j -> {
                ByteBuffer b = ByteBuffer.allocate((int) MIB);
                try (FileChannel ch = FileChannel.open(files.get(j), StandardOpenOption.READ)) {
                  while (ch.read(b.clear()) > 0) {
                    // just read
                  }
                }
              });
      out.add(
          "large.get-cached." + sz, "disk read, page cache " + sz, "MiB/s", true, mb / (t / 1e9));
      try {
        t =
            parallel(
                ex,
                count,
                j -> {
                  ByteBuffer b = ByteBuffer.allocateDirect((int) MIB + 4096).alignedSlice(4096);
                  b.limit((int) MIB);
                  OpenOption direct = com.sun.nio.file.ExtendedOpenOption.DIRECT;
                  try (FileChannel ch =
                      FileChannel.open(files.get(j), StandardOpenOption.READ, direct)) {
                    while (ch.read(b.clear().limit((int) MIB)) > 0) {
                      // just read
                    }
                  }
                });
        out.add("large.get." + sz, "large GET " + sz, "MiB/s", true, mb / (t / 1e9));
      } catch (IOException e) {
        System.out.println("  O_DIRECT read not possible here: " + e);
      }
      ex.shutdown();
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
  }

  private interface IoTask {
    void run(int j) throws IOException;
  }

  private static long parallel(ExecutorService ex, int n, IoTask task) throws Exception {
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      final int k = j;
      fs.add(
          ex.submit(
              () -> {
                task.run(k);
                return null;
              }));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    }
    return System.nanoTime() - t0;
  }
}
