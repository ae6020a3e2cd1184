package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memos3.frontend.cli.Main;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Crash consistency under mixed load: 8 clients run PUTs of 0 B to 6 MiB, multipart uploads,
 * overwrites, DELETEs, CopyObject and GETs on 48 keys against one persistent server process, which
 * is killed with {@code kill -9} at a random moment of each cycle and restarted.
 *
 * <p>Every key has a set of acceptable states: its last acknowledged value (MD5, size, ETag) or
 * absence, plus every value (or deletion) that was in flight when it failed (a request cut by the
 * kill may or may not have committed). Only one request per key is in flight at a time, so this
 * model is exact. After every restart: each key reads back as one of its acceptable states, with
 * the acknowledged ETag and all of its bytes (nothing half-written); ListObjectsV2 lists exactly
 * the keys that read back, with their sizes and ETags. Mid-load GETs of settled keys must match
 * too, and no request may fail before the kill (except 503 SlowDown).
 *
 * <p>After the last cycle the server stops with SIGTERM and {@code memo-s3 gc run --json} runs on
 * its data directory in this JVM (through {@link Main#run}, with the server's grid options): it
 * must exit 0, leave no retired version past its grace period, not increase the stored blocks, and
 * a following {@code gc status} must report the same numbers; then the server starts again and
 * every key still reads back. The CI form (10 cycles of 2-5 s of load) is shorter than the GC grace
 * periods (10 min for retired versions, 24 h for the sweep), so its {@code gc run} reclaims nothing
 * yet; the long form ({@code -Dtorture.cycles=30 -Dtorture.seconds=20}, or {@code
 * scripts/long-tests.sh}) runs for more than 10 minutes, so versions retired early in the run are
 * due: the test then asserts that {@code gc run} reaps them and the stored block count goes down
 * (whatever the running server's own reaper did not already collect).
 *
 * <p>The 3-node variant (3 cycles in CI, about 2.5 minutes; {@code -Dtorture.cluster.cycles=10} by
 * hand; {@code -Dtorture.cluster=false} skips it): one node killed with {@code kill -9} and
 * restarted per cycle while the load runs through all three, then every key verified through every
 * node.
 *
 * <p>Two more cluster variants: a 2-node cluster whose killed node starts again at once, within its
 * baseline (3 cycles; {@code -Dtorture.rejoin.cycles}), and a cluster that grows from 1 node to 3
 * and then loses and regains its third node under writes (one cycle, about 2 minutes; {@code
 * -Dtorture.grow.cycles}).
 */
class TortureIT {
  static final int CYCLES = Integer.getInteger("torture.cycles", 10);
  static final int LOAD_SECONDS = Integer.getInteger("torture.seconds", 3);
  static final int CLUSTER_CYCLES = Integer.getInteger("torture.cluster.cycles", 3);
  static final int REJOIN_CYCLES = Integer.getInteger("torture.rejoin.cycles", 3);
  static final int GROW_CYCLES = Integer.getInteger("torture.grow.cycles", 1);

  /**
   * Sizes of the rejoin variant's PUTs: inline in the head (200 B, 3 KB), one buffered chunk (40
   * KB), one chunk written with direct I/O (300 KB).
   */
  static final int[] REJOIN_SIZES = {200, 3000, 40_000, 300_000};

  /**
   * The grow variant's: its writes go on through every rebalancing, which then has more to move
   * (with 300 KB objects too, 10 cycles stored 20 GB per node and each cycle took longer).
   */
  static final int[] GROW_SIZES = {200, 3000, 40_000};

  static final int WORKERS = 8;
  static final int WRITERS = 32;
  static final int KEYS = 48;
  static final int MIB = 1024 * 1024;
  static final int PART = 5 * MIB;
  static final String ABSENT = "absent";

  /** The WAL mode of every node: {@code log-only} (the default) or {@code fsync}. */
  static final String WAL_MODE = System.getProperty("torture.wal", "log-only");

  static final String[] OPTS = {
    "--data-region-mib", "128",
    "--wal-segment-mib", "16",
    "--wal-segments", "4",
    "--wal-archive-mib", "256",
    "--wal-mode", WAL_MODE
  };
  static final Pattern STORED = Pattern.compile("\"storedBlocks\":(\\d+)");
  static final Pattern DUE = Pattern.compile("\"dueManifests\":(\\d+)");
  static final Pattern PENDING = Pattern.compile("\"pendingManifests\":(\\d+)");
  static final Pattern RECLAIMED = Pattern.compile("\"reclaimedBlocks\":(\\d+)");

  Path work;
  final List<ServerProcess> nodes = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    ServerProcess.closeKeepingLogs(nodes, work, "TortureIT");
  }

  /** One acceptable state of a key: its content's MD5 (or ABSENT), size, ETag (null: unknown). */
  record Value(String md5, long size, String etag) {
    static final Value GONE = new Value(ABSENT, -1, null);

    boolean absent() {
      return md5.equals(ABSENT);
    }
  }

  static final class KeyState {
    final String key;
    final ReentrantLock lock = new ReentrantLock();

    /** Acceptable states by MD5. Guarded by {@link #lock}. */
    Map<String, Value> acceptable = new LinkedHashMap<>(Map.of(ABSENT, Value.GONE));

    KeyState(String key) {
      this.key = key;
    }

    Value settled() {
      return acceptable.size() == 1 ? acceptable.values().iterator().next() : null;
    }

    void acknowledged(Value v) {
      acceptable = new LinkedHashMap<>(Map.of(v.md5(), v));
    }

    void maybe(Value v) {
      acceptable.merge(
          v.md5(),
          v,
          (a, b) ->
              a.etag() != null && a.etag().equals(b.etag()) ? a : new Value(a.md5, a.size, null));
    }
  }

  static final class Stats {
    final Map<String, AtomicInteger> ok = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, AtomicInteger> failed = new java.util.concurrent.ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failedBeforeKill = new ConcurrentLinkedQueue<>();

    void count(Map<String, AtomicInteger> m, String op) {
      m.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public String toString() {
      return "ok " + new java.util.TreeMap<>(ok) + ", failed " + new java.util.TreeMap<>(failed);
    }
  }

  @Test
  @Timeout(3600)
  void killNineUnderMixedLoadKeepsEveryAcknowledgedWrite() throws Exception {
    long t0 = System.nanoTime();
    work = Files.createTempDirectory("memo-s3-torture-it");
    ServerProcess server =
        new ServerProcess("torture", work, ServerProcess.newMasterKeyFile(work)).extraArgs(OPTS);
    nodes.add(server);
    server.start();
    String bucket = "torture-" + Long.toHexString(System.nanoTime());
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    List<KeyState> keys = keys();
    Stats stats = new Stats();
    Random rnd = new Random(Long.getLong("torture.seed", 11));
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      long loadMs = LOAD_SECONDS * 1000L / 2 + rnd.nextInt(LOAD_SECONDS * 1000 + 1);
      runLoad(List.of(server), bucket, keys, stats, loadMs, rnd.nextLong(), () -> server.kill9());
      assertThat(stats.failedBeforeKill)
          .as("requests that failed before the kill (cycle %d)", cycle)
          .isEmpty();
      assertThat(stats.violations).as("mid-load reads (cycle %d)", cycle).isEmpty();
      server.start();
      verify(server, bucket, keys, "cycle " + cycle);
      log(t0, "cycle " + cycle + " verified after " + loadMs + " ms of load; " + stats);
    }
    server.stop();

    // gc on the stopped node's directory, in this JVM, with the server's grid options.
    String before = cli(0, "gc", "status", "--json", server.gridOptions());
    String run = cli(0, "gc", "run", "--json", server.gridOptions());
    String after = cli(0, "gc", "status", "--json", server.gridOptions());
    log(t0, "gc status before: " + before.strip());
    log(t0, "gc run:           " + run.strip());
    long storedBefore = number(STORED, before);
    long storedAfter = number(STORED, run);
    assertThat(storedAfter).as("stored blocks after gc run").isLessThanOrEqualTo(storedBefore);
    // Everything due when gc run started is reaped; more versions come due while it runs (the
    // grace is wall-clock time), so "due" after the run need not be zero in the long form.
    assertThat(number(PENDING, before) - number(PENDING, run))
        .as("retired versions reaped by gc run")
        .isGreaterThanOrEqualTo(number(DUE, before));
    for (Pattern p : List.of(PENDING, STORED, RECLAIMED)) {
      assertThat(number(p, after)).as("%s in gc status after gc run", p).isEqualTo(number(p, run));
    }
    if (number(DUE, before) > 0) {
      // Long form: versions retired more than 10 minutes ago were due and are now reaped.
      assertThat(storedAfter)
          .as("stored blocks after reaping due versions")
          .isLessThan(storedBefore);
    }
    server.start();
    verify(server, bucket, keys, "after gc");
    server.stop();
    log(t0, "done: " + stats);
  }

  @Test
  @Timeout(3600)
  void clusterOfThreeKillsOneNodePerCycle() throws Exception {
    assumeClusterTests();
    long t0 = System.nanoTime();
    List<String> all =
        newCluster(
            "memo-s3-torture-cluster-it",
            List.of("a", "b", "c"),
            "--baseline-auto-adjust-ms",
            "5000");
    nodes.get(0).start();
    List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
    for (ServerProcess n : nodes.subList(1, 3)) {
      starts.add(java.util.concurrent.CompletableFuture.runAsync(() -> startUnchecked(n)));
    }
    starts.forEach(java.util.concurrent.CompletableFuture::join);
    String bucket = clusterUp(t0, all);
    List<KeyState> keys = keys();
    Stats stats = new Stats();
    Random rnd = new Random(23);
    for (int cycle = 1; cycle <= CLUSTER_CYCLES; cycle++) {
      ServerProcess victim = nodes.get(cycle % 3);
      List<ServerProcess> others = nodes.stream().filter(n -> n != victim).toList();
      long loadMs = LOAD_SECONDS * 1000L / 2 + rnd.nextInt(LOAD_SECONDS * 1000 + 1);
      // The load runs through all three nodes; requests to the victim are cut by the kill.
      runLoad(nodes, bucket, keys, stats, loadMs, rnd.nextLong(), victim::kill9);
      assertThat(stats.failedBeforeKill).as("failures before the kill").isEmpty();
      assertThat(stats.violations).as("mid-load reads").isEmpty();
      verify(others.get(0), bucket, keys, "cycle " + cycle + " without " + victim.name);
      victim.start();
      for (ServerProcess n : nodes) {
        verify(n, bucket, keys, "cycle " + cycle + " through " + n.name);
      }
      // backups=1 survives one lost node at a time: the next kill waits until the returned
      // node holds its copies again (killing another node while partitions are still moving
      // leaves some with no owner: 503 until a node with a copy is back, as PartitionLossIT
      // shows).
      assertThat(victim.awaitSettled(2, Duration.ofSeconds(180)))
          .as("cycle %d: rebalancing done, 2 copies of every partition", cycle)
          .isTrue();
      log(t0, "cluster cycle " + cycle + " (" + victim.name + " killed) verified; " + stats);
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }

  /**
   * Two nodes, one copy of every partition on each: a node killed under load and started again
   * before the baseline drops it comes back with the copies it had, and every key must then read
   * the same through both nodes (each reads its own copy). Few partitions, so that writes in flight
   * at the kill often share one.
   */
  @Test
  @Timeout(3600)
  void clusterOfTwoRestartsAKilledNodeWithinItsBaseline() throws Exception {
    assumeClusterTests();
    long t0 = System.nanoTime();
    List<String> all =
        newCluster(
            "memo-s3-torture-rejoin-it",
            List.of("a", "b"),
            "--partitions",
            "8",
            "--baseline-auto-adjust-ms",
            "10000");
    nodes.get(0).start();
    nodes.get(1).start();
    String bucket = clusterUp(t0, all);
    Random rnd = new Random(Long.getLong("torture.seed", 29));
    Map<String, KeyState> owned = new java.util.concurrent.ConcurrentHashMap<>();
    for (int cycle = 1; cycle <= REJOIN_CYCLES; cycle++) {
      ServerProcess victim = nodes.get(cycle % 2);
      long loadMs = LOAD_SECONDS * 1000L / 2 + rnd.nextInt(LOAD_SECONDS * 1000 + 1);
      // Launched again right after the kill: back well within the 10 s before the baseline
      // would drop it.
      List<String> failedBeforeKill =
          writeUntilKilled(
              nodes,
              bucket,
              owned,
              loadMs,
              rnd.nextLong(),
              () -> {
                victim.kill9();
                victim.launch();
              });
      assertThat(failedBeforeKill).as("cycle %d: PUTs failed before the kill", cycle).isEmpty();
      victim.awaitBanner();
      assertThat(victim.awaitSettled(2, Duration.ofSeconds(180)))
          .as("cycle %d: rebalancing done, 2 copies of every partition", cycle)
          .isTrue();
      List<String> differ = readTheSame(nodes, bucket, owned);
      assertThat(differ)
          .as("cycle %d (%s killed): keys read differently or wrongly", cycle, victim.name)
          .isEmpty();
      log(
          t0,
          "rejoin cycle "
              + cycle
              + " ("
              + victim.name
              + " killed): "
              + owned.size()
              + " keys read the same through both nodes");
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }

  /**
   * Every key of {@code owned} read through each of {@code through}: the keys that read differently
   * through two nodes, or as none of their acceptable states. A key that reads the same and
   * acceptably everywhere is acknowledged in that state.
   */
  static List<String> readTheSame(
      List<ServerProcess> through, String bucket, Map<String, KeyState> owned) {
    List<String> differ = new ArrayList<>();
    List<S3Client> clients = through.stream().map(n -> n.client(true)).toList();
    try {
      for (KeyState k : owned.values()) {
        List<Object> got = new ArrayList<>();
        for (S3Client c : clients) {
          got.add(readOrError(c, bucket, k.key));
        }
        Object first = got.get(0);
        boolean acceptable =
            first instanceof Value v && k.acceptable.values().stream().anyMatch(a -> matches(a, v));
        if (acceptable && got.stream().allMatch(first::equals)) {
          k.acknowledged((Value) first);
        } else {
          StringBuilder b = new StringBuilder(k.key).append(':');
          for (int i = 0; i < got.size(); i++) {
            b.append(" through ").append(through.get(i).name).append(' ').append(got.get(i));
          }
          differ.add(b.append(", acceptable ").append(k.acceptable.values()).toString());
        }
      }
    } finally {
      clients.forEach(S3Client::close);
    }
    return differ;
  }

  /**
   * A cluster grown and shrunk under writes. Node a alone takes PUTs from WRITERS threads while b
   * and c join it: the baseline goes from 1 node to 3, partitions move to b and c, and a evicts the
   * ones it no longer holds (where Ignite once stopped a node, README "Cluster mode"). Then, per
   * cycle, under writes through a and b: c stops (the baseline drops it, and a and b take a copy of
   * every partition again) and starts (a and b evict again). No PUT may fail (but with 503
   * SlowDown), no node may stop or log a critical error, and after each change every key reads the
   * same, acceptably, through every running node.
   */
  @Test
  @Timeout(3600)
  void clusterGrowsAndShrinksUnderWrites() throws Exception {
    assumeClusterTests();
    long t0 = System.nanoTime();
    List<String> all =
        newCluster(
            "memo-s3-torture-grow-it", List.of("a", "b", "c"), "--baseline-auto-adjust-ms", "3000");
    ServerProcess a = nodes.get(0);
    ServerProcess b = nodes.get(1);
    ServerProcess c = nodes.get(2);
    a.start();
    a.peers(all);
    String bucket = newBucket(a);
    Random rnd = new Random(Long.getLong("torture.seed", 37));
    Map<String, KeyState> owned = new java.util.concurrent.ConcurrentHashMap<>();
    changeUnderWrites(
        List.of(a),
        nodes,
        bucket,
        owned,
        2000,
        rnd.nextLong(),
        () -> {
          java.util.concurrent.CompletableFuture<Void> startB =
              java.util.concurrent.CompletableFuture.runAsync(() -> startUnchecked(b));
          startUnchecked(c);
          startB.join();
          settleAt(3, nodes);
        },
        "grown from 1 node to 3");
    log(t0, "grown from 1 node to 3 under writes; " + owned.size() + " keys read the same");
    for (int cycle = 1; cycle <= GROW_CYCLES; cycle++) {
      List<ServerProcess> ab = List.of(a, b);
      changeUnderWrites(
          ab,
          ab,
          bucket,
          owned,
          1000 + rnd.nextInt(2000),
          rnd.nextLong(),
          () -> {
            c.stop();
            settleAt(2, ab);
          },
          "cycle " + cycle + ", c stopped");
      changeUnderWrites(
          ab,
          nodes,
          bucket,
          owned,
          1000 + rnd.nextInt(2000),
          rnd.nextLong(),
          () -> {
            c.start();
            settleAt(3, nodes);
          },
          "cycle " + cycle + ", c back");
      log(t0, "grow cycle " + cycle + ": " + owned.size() + " keys read the same");
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }

  /**
   * Creates the test's work directory (named after {@code prefix}), a master key and the nodes
   * {@code names} (backups 1, {@link #OPTS} and {@code extra}); every node but the first is given
   * every node as its peers (the first starts alone, the others find the cluster through it).
   *
   * @return every node's discovery address
   */
  List<String> newCluster(String prefix, List<String> names, String... extra) throws Exception {
    work = Files.createTempDirectory(prefix);
    Path key = ServerProcess.newMasterKeyFile(work);
    for (String n : names) {
      nodes.add(new ServerProcess(n, work, key).backups(1).extraArgs(OPTS).extraArgs(extra));
    }
    List<String> all = nodes.stream().map(ServerProcess::discoveryAddress).toList();
    nodes.subList(1, nodes.size()).forEach(n -> n.peers(all));
    return all;
  }

  private static void startUnchecked(ServerProcess n) {
    try {
      n.start();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /**
   * Waits until each of {@code running} counts a baseline of {@code size} nodes and then sees 2
   * copies of every partition, none moving.
   */
  private static void settleAt(int size, List<ServerProcess> running) throws Exception {
    for (ServerProcess n : running) {
      assertThat(n.awaitBaseline(size, Duration.ofSeconds(120)))
          .as("%s counts a baseline of %d nodes", n.name, size)
          .isTrue();
    }
    for (ServerProcess n : running) {
      assertThat(n.awaitSettled(2, Duration.ofSeconds(180)))
          .as("%s: rebalancing done at a baseline of %d, 2 copies of every partition", n.name, size)
          .isTrue();
    }
  }

  /**
   * Writes through {@code writeThrough} for {@code loadMs}, then runs {@code change} while the
   * writes go on; once it returns, no PUT may have failed, every node of {@code running} must run
   * clean, and every key must read the same through all of them.
   */
  private static void changeUnderWrites(
      List<ServerProcess> writeThrough,
      List<ServerProcess> running,
      String bucket,
      Map<String, KeyState> owned,
      long loadMs,
      long seed,
      ThrowingRunnable change,
      String when)
      throws Exception {
    List<String> failed =
        writeWhile(writeThrough, bucket, owned, loadMs, seed, change, false, GROW_SIZES);
    assertThat(failed).as("%s: PUTs failed", when).isEmpty();
    for (ServerProcess n : running) {
      assertThat(n.alive()).as("%s: %s runs", when, n.name).isTrue();
      assertThat(n.logSinceStart())
          .as("%s: %s's log", when, n.name)
          .doesNotContain("Critical system error");
    }
    assertThat(readTheSame(running, bucket, owned))
        .as("%s: keys read differently or wrongly", when)
        .isEmpty();
  }

  /**
   * WRITERS threads, half through each server, each PUTting small objects to keys of its own (no
   * two threads share a key) for {@code loadMs}, then {@code kill}; returns when all are done.
   * {@code owned} gets every key written, with the states it may be in.
   *
   * @return the PUTs that failed before the kill (other than with 503 SlowDown)
   */
  static List<String> writeUntilKilled(
      List<ServerProcess> servers,
      String bucket,
      Map<String, KeyState> owned,
      long loadMs,
      long seed,
      ThrowingRunnable kill)
      throws Exception {
    return writeWhile(servers, bucket, owned, loadMs, seed, kill, true, REJOIN_SIZES);
  }

  /**
   * As {@link #writeUntilKilled}, with {@code action} in place of the kill and objects of {@code
   * sizes}; when {@code actionKills} is false, a PUT that fails while {@code action} runs counts as
   * well.
   *
   * @return the PUTs that failed (other than with 503 SlowDown), before the action or during it
   */
  static List<String> writeWhile(
      List<ServerProcess> servers,
      String bucket,
      Map<String, KeyState> owned,
      long loadMs,
      long seed,
      ThrowingRunnable action,
      boolean actionKills,
      int[] sizes)
      throws Exception {
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    underLoad(
        servers,
        WRITERS,
        loadMs,
        seed,
        action,
        (s3, r, killed, worker) -> {
          KeyState k = owned.computeIfAbsent("w" + worker + "/" + r.nextInt(16), KeyState::new);
          byte[] b = bytes(r.nextLong(), sizes[r.nextInt(sizes.length)]);
          String md5 = md5(b);
          Value v = new Value(md5, b.length, md5);
          try {
            s3.putObject(p -> p.bucket(bucket).key(k.key), RequestBody.fromBytes(b));
            k.acknowledged(v);
          } catch (RuntimeException e) {
            k.maybe(v);
            boolean slowDown = e instanceof S3Exception s && s.statusCode() == 503;
            if (!(actionKills && killed.get()) && !slowDown) {
              failed.add("PUT " + k.key + ": " + e);
            }
          }
        });
    return List.copyOf(failed);
  }

  /**
   * Waits until every node logs a baseline of all the nodes, then gives node a (started first,
   * without peers, so that the others find the cluster through it) every peer for its restarts, and
   * creates the test's bucket.
   *
   * @return the bucket's name
   */
  String clusterUp(long t0, List<String> all) throws Exception {
    String baseline = "baseline of " + nodes.size() + " nodes";
    for (ServerProcess n : nodes) {
      assertThat(n.awaitLog(Pattern.compile(baseline), Duration.ofSeconds(120)))
          .as("%s logs a %s", n, baseline)
          .isTrue();
    }
    log(t0, "cluster of " + nodes.size() + " up");
    nodes.get(0).peers(all);
    return newBucket(nodes.get(0));
  }

  /** Creates a bucket of a new name through {@code via}; returns the name. */
  static String newBucket(ServerProcess via) {
    String bucket = "torture-" + Long.toHexString(System.nanoTime());
    try (S3Client s3 = via.client(true)) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    return bucket;
  }

  /** The cluster variants run unless {@code -Dtorture.cluster=false}. */
  static void assumeClusterTests() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Boolean.parseBoolean(System.getProperty("torture.cluster", "true")),
        "skipped with -Dtorture.cluster=false");
  }

  static List<KeyState> keys() {
    List<KeyState> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(new KeyState(String.format("dir%d/key-%02d", i % 4, i)));
    }
    return keys;
  }

  /**
   * WORKERS clients on random keys for {@code loadMs}, then {@code kill} while requests are in
   * flight; returns when every client is done.
   */
  static void runLoad(
      List<ServerProcess> servers,
      String bucket,
      List<KeyState> keys,
      Stats stats,
      long loadMs,
      long seed,
      ThrowingRunnable kill)
      throws Exception {
    underLoad(
        servers,
        WORKERS,
        loadMs,
        seed,
        kill,
        (s3, r, killed, worker) -> oneOperation(s3, bucket, keys, r, stats, killed));
  }

  /** One request (or none) of a load worker. */
  interface Step {
    void run(S3Client s3, Random r, AtomicBoolean killed, int worker);
  }

  /**
   * {@code workers} threads, each with a client of one of {@code servers} (in turn) and a Random of
   * its own, repeating {@code step} for {@code loadMs}; then {@code kill} while requests are in
   * flight (the steps see {@code killed} set first); returns when every worker is done.
   */
  static void underLoad(
      List<ServerProcess> servers,
      int workers,
      long loadMs,
      long seed,
      ThrowingRunnable kill,
      Step step)
      throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<S3Client> clients = servers.stream().map(s -> s.client(true)).toList();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        Random r = new Random(seed + w);
        S3Client s3 = clients.get(w % clients.size());
        int worker = w;
        fs.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    step.run(s3, r, killed, worker);
                  }
                  return null;
                }));
      }
      Thread.sleep(loadMs);
      killed.set(true);
      kill.run();
      stop.set(true);
      for (Future<?> f : fs) {
        f.get(300, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(S3Client::close);
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static void oneOperation(
      S3Client s3,
      String bucket,
      List<KeyState> keys,
      Random r,
      Stats stats,
      AtomicBoolean killed) {
    KeyState k = keys.get(r.nextInt(keys.size()));
    if (!k.lock.tryLock()) {
      return;
    }
    String op = "?";
    try {
      int dice = r.nextInt(100);
      if (dice < 40) {
        op = "put";
        int size = size(r);
        byte[] b = bytes(r.nextLong(), size);
        String md5 = md5(b);
        Value v = new Value(md5, size, md5);
        try {
          String etag =
              unquote(
                  s3.putObject(r2 -> r2.bucket(bucket).key(k.key), RequestBody.fromBytes(b))
                      .eTag());
          if (!etag.equals(md5)) {
            stats.violations.add("PUT " + k.key + " answered ETag " + etag + ", MD5 is " + md5);
          }
          k.acknowledged(v);
        } catch (RuntimeException e) {
          k.maybe(v);
          throw e;
        }
      } else if (dice < 50) {
        op = "multipart";
        int size = PART + 1 + r.nextInt(MIB);
        byte[] b = bytes(r.nextLong(), size);
        String md5 = md5(b);
        String expected = multipartEtag(b);
        Value v = new Value(md5, size, expected);
        try {
          String etag = unquote(multipart(s3, bucket, k.key, b));
          if (!etag.equals(expected)) {
            stats.violations.add("multipart " + k.key + " ETag " + etag + " != " + expected);
          }
          k.acknowledged(v);
        } catch (RuntimeException e) {
          k.maybe(v);
          throw e;
        }
      } else if (dice < 65) {
        op = "delete";
        try {
          s3.deleteObject(r2 -> r2.bucket(bucket).key(k.key));
          k.acknowledged(Value.GONE);
        } catch (RuntimeException e) {
          k.maybe(Value.GONE);
          throw e;
        }
      } else if (dice < 80) {
        op = "copy";
        KeyState src = keys.get(r.nextInt(keys.size()));
        if (src == k || !src.lock.tryLock()) {
          return;
        }
        try {
          Value sv = src.settled();
          if (sv == null || sv.absent()) {
            return;
          }
          try {
            String etag =
                unquote(
                    s3.copyObject(
                            c ->
                                c.sourceBucket(bucket)
                                    .sourceKey(src.key)
                                    .destinationBucket(bucket)
                                    .destinationKey(k.key))
                        .copyObjectResult()
                        .eTag());
            k.acknowledged(new Value(sv.md5(), sv.size(), etag));
          } catch (RuntimeException e) {
            k.maybe(new Value(sv.md5(), sv.size(), null));
            throw e;
          }
        } finally {
          src.lock.unlock();
        }
      } else {
        op = "get";
        Value expected = k.settled();
        if (expected == null) {
          return;
        }
        Value got = read(s3, bucket, k.key);
        if (!matches(expected, got)) {
          stats.violations.add("mid-load GET " + k.key + ": " + got + ", expected " + expected);
        }
      }
      stats.count(stats.ok, op);
    } catch (RuntimeException e) {
      stats.count(stats.failed, op);
      boolean slowDown = e instanceof S3Exception s && s.statusCode() == 503;
      if (!killed.get() && !slowDown) {
        stats.failedBeforeKill.add(op + " " + k.key + ": " + e);
      }
    } finally {
      k.lock.unlock();
    }
  }

  static boolean matches(Value expected, Value got) {
    return expected.md5().equals(got.md5())
        && (expected.absent() || expected.size() == got.size())
        && (expected.etag() == null || expected.etag().equals(got.etag()));
  }

  /** Every key reads back as one of its acceptable states; the listing agrees. Settles keys. */
  static void verify(ServerProcess server, String bucket, List<KeyState> keys, String when)
      throws Exception {
    ServerProcess.Retries retries = new ServerProcess.Retries();
    retries.deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, Value> seen = new HashMap<>();
    try (S3Client s3 = server.client(true)) {
      for (KeyState k : keys) {
        Value got = retries.run("GET " + k.key, () -> read(s3, bucket, k.key));
        assertThat(k.acceptable.values().stream().anyMatch(v -> matches(v, got)))
            .as(
                "%s (%s) reads back as %s; acceptable: %s; server log tail:%n%s",
                k.key, when, got, k.acceptable.values(), server.logTail(20))
            .isTrue();
        k.acknowledged(got);
        seen.put(k.key, got);
      }
      List<S3Object> listed =
          retries.run(
              "LIST",
              () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList());
      Map<String, S3Object> byKey = new HashMap<>();
      for (S3Object o : listed) {
        byKey.put(o.key(), o);
        Value v = seen.get(o.key());
        assertThat(v).as("listed key %s (%s) is known", o.key(), when).isNotNull();
        assertThat(v.absent()).as("listed key %s (%s) reads back", o.key(), when).isFalse();
        assertThat(o.size()).as("listed size of %s (%s)", o.key(), when).isEqualTo(v.size());
        assertThat(unquote(o.eTag()))
            .as("listed ETag of %s (%s)", o.key(), when)
            .isEqualTo(v.etag());
      }
      for (Map.Entry<String, Value> e : seen.entrySet()) {
        if (!e.getValue().absent()) {
          assertThat(byKey).as("key %s (%s) is listed", e.getKey(), when).containsKey(e.getKey());
        }
      }
    }
  }

  /** What {@link #read} returns, or the message of the error it failed with (500: a lost block). */
  static Object readOrError(S3Client s3, String bucket, String key) {
    try {
      return read(s3, bucket, key);
    } catch (RuntimeException e) {
      return "error " + e.getMessage();
    }
  }

  static Value read(S3Client s3, String bucket, String key) {
    try {
      var resp = s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toBytes());
      GetObjectResponse h = resp.response();
      byte[] b = resp.asByteArray();
      if (h.contentLength() != null && h.contentLength() != b.length) {
        throw new AssertionError(
            key + ": Content-Length " + h.contentLength() + ", got " + b.length);
      }
      return new Value(md5(b), b.length, unquote(h.eTag()));
    } catch (NoSuchKeyException e) {
      return Value.GONE;
    }
  }

  static int size(Random r) {
    int d = r.nextInt(100);
    if (d < 40) {
      return r.nextInt(4097);
    } else if (d < 75) {
      return 4097 + r.nextInt(MIB);
    } else if (d < 95) {
      return MIB + r.nextInt(2 * MIB);
    }
    return 3 * MIB + r.nextInt(3 * MIB + 1);
  }

  static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String md5(byte[] b) {
    try {
      return ServerProcess.md5(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unquote(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }

  static String multipart(S3Client s3, String bucket, String key, byte[] b) {
    String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    int n = 1;
    for (int off = 0; off < b.length; off += PART, n++) {
      byte[] part = Arrays.copyOfRange(b, off, Math.min(b.length, off + PART));
      int pn = n;
      String etag =
          s3.uploadPart(
                  r -> r.bucket(bucket).key(key).uploadId(id).partNumber(pn),
                  RequestBody.fromBytes(part))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
    }
    return s3.completeMultipartUpload(
            r -> r.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)))
        .eTag();
  }

  static String multipartEtag(byte[] b) {
    try {
      MessageDigest all = MessageDigest.getInstance("MD5");
      int n = 0;
      for (int off = 0; off < b.length; off += PART, n++) {
        MessageDigest one = MessageDigest.getInstance("MD5");
        one.update(b, off, Math.min(PART, b.length - off));
        all.update(one.digest());
      }
      return HexFormat.of().formatHex(all.digest()) + "-" + n;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code memo-s3 <args> <options>} in this JVM; asserts the exit status; returns stdout. */
  static String cli(int status, String a, String b, String c, List<String> options) {
    List<String> args = new ArrayList<>(List.of(a, b, c));
    args.addAll(options);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertThat(rc)
        .as(
            "memo-s3 %s exit status; stdout:%n%s%nstderr:%n%s",
            args, o, err.toString(StandardCharsets.UTF_8))
        .isEqualTo(status);
    return o;
  }

  static long number(Pattern p, String json) {
    Matcher m = p.matcher(json);
    assertThat(m.find()).as("%s in %s", p, json).isTrue();
    return Long.parseLong(m.group(1));
  }

  static void log(long t0, String what) {
    System.out.printf("[TortureIT +%.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
  }
}
