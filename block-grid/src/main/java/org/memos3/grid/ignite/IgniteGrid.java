package org.memos3.grid.ignite;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.QueryIndex;
import org.apache.ignite.cache.QueryIndexType;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.EventType;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.Grid;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid on an embedded Ignite server node with native persistence ({@link #start}), or on a
 * client node joined to running servers ({@link #join}). Owns the Ignite node, its configuration
 * and caches; nothing of Ignite leaves this package.
 */
public final class IgniteGrid implements Grid {
  private static final Logger LOG = LoggerFactory.getLogger(IgniteGrid.class);
  static final String BLOCKS = "blocks";
  private static final String RECORDS_GROUP = "records";
  private static final byte[] SETTINGS_KEY = "settings".getBytes();

  /** Where a server node keeps its part of every snapshot, under its data directory. */
  public static final String SNAPSHOTS = "snapshots";

  private final Ignite ignite;

  /** Where a server node keeps the chunks written while it was a lone node. */
  public static final String BLOCK_FILES = "blocks";

  private final IgniteBlockStore blocks;

  /** Moves block files into the cache once the grid has other server nodes; null on a client. */
  private volatile java.util.concurrent.ScheduledExecutorService migrator;

  private final Map<Table, IgniteRecordTable> tables = new EnumMap<>(Table.class);

  /** The caches were created ATOMIC: {@link #compareAndSetAll} cannot use a transaction. */
  private final boolean atomicCaches;

  /**
   * How long a {@link #compareAndSetAll} transaction may take (lock waits included) before Ignite
   * rolls it back and the request gets 503: its records are few and locked in one order.
   */
  private static final long TRANSACTION_TIMEOUT_MS = 10_000;

  /** The work directory of a client node (binary metadata only), deleted at close; else null. */
  private final java.nio.file.Path tempWorkDir;

  /** A client node on the caches the server nodes created: nothing is created here. */
  private IgniteGrid(Ignite ignite, java.nio.file.Path tempWorkDir) {
    this.ignite = ignite;
    this.tempWorkDir = tempWorkDir;
    this.blocks =
        new IgniteBlockStore(ignite, existingCache(ignite, BLOCKS), DiskGuard.none(), null);
    for (Table t : Table.values()) {
      IgniteCache<RowKey, Row> c = existingCache(ignite, cacheName(t));
      tables.put(t, new IgniteRecordTable(ignite, c, indexName(t), DiskGuard.none()));
    }
    this.atomicCaches = createdAtomic();
  }

  private static <K, V> IgniteCache<K, V> existingCache(Ignite ignite, String name) {
    IgniteCache<K, V> c = ignite.cache(name);
    if (c == null) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "the running grid has no cache " + name + " (is its node still starting?)");
    }
    return c;
  }

  private IgniteGrid(Ignite ignite, GridConfig cfg, java.nio.file.Path blockFiles) {
    this.ignite = ignite;
    this.tempWorkDir = null;
    IgniteCache<BlockKey, byte[]> blockCache = ignite.getOrCreateCache(blockCacheConfig(cfg));
    DiskGuard guard;
    try {
      guard =
          new DiskGuard(
              cfg.dataDir(),
              cfg.dataRegionBytes() + 4L * cfg.walSegmentBytes() + 64L * GridConfig.MIB);
    } catch (java.io.IOException e) {
      throw new GridException(GridException.Reason.UNAVAILABLE, "cannot watch disk space", e);
    }
    if (cfg.walMode() == GridConfig.WalMode.FSYNC) {
      LOG.info("WAL: fsync (each commit forced to disk)");
    } else {
      LOG.info(
          "WAL: log-only, {}",
          IgniteNodeConfig.walMemoryMapped()
              ? "memory-mapped (a commit waits until every earlier record is in the mapping)"
              : "through its buffer and writer thread");
    }
    BlockFiles files;
    try {
      files =
          BlockFiles.open(blockFiles, cfg.walMode() == GridConfig.WalMode.FSYNC, cfg.directIo());
      if (cfg.directIo() && !files.direct()) {
        LOG.info(
            "direct I/O is not available for {}: large chunk files go through the page cache",
            blockFiles);
      }
    } catch (java.io.IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot open the block files in " + blockFiles, e);
    }
    this.blocks = new IgniteBlockStore(ignite, blockCache, guard, files);
    @SuppressWarnings("rawtypes")
    List<CacheConfiguration> cfgs = new ArrayList<>();
    for (Table t : Table.values()) {
      cfgs.add(recordCacheConfig(t, cfg));
    }
    ignite.getOrCreateCaches(cfgs);
    for (Table t : Table.values()) {
      IgniteCache<RowKey, Row> c = ignite.cache(cacheName(t));
      tables.put(t, new IgniteRecordTable(ignite, c, indexName(t), guard));
    }
    this.atomicCaches = createdAtomic();
    if (cfg.backups() > 0 && atomicCaches) {
      LOG.warn(
          "this grid's caches were created ATOMIC (before memo-s3 made them TRANSACTIONAL): a node"
              + " killed and started again before the baseline drops it can come back with stale"
              + " copies that Ignite does not repair; copy the objects through S3 into a new grid (a"
              + " snapshot restores the old caches as they were) before relying on backups");
    }
  }

  /**
   * True when this grid's caches were created ATOMIC (before memo-s3 made them TRANSACTIONAL): a
   * cache keeps the atomicity it was created with, as getOrCreateCache finds it.
   */
  boolean createdAtomic() {
    @SuppressWarnings("unchecked")
    CacheConfiguration<?, ?> c = ignite.cache(BLOCKS).getConfiguration(CacheConfiguration.class);
    return c.getAtomicityMode() == CacheAtomicityMode.ATOMIC;
  }

  /**
   * Starts the node, activates a fresh cluster (never one whose baseline exists: that one activates
   * itself when its nodes are back), creates the caches and checks the settings fixed at creation.
   * Blocks until the grid is active. With {@link GridConfig#tls()}, discovery and communication use
   * TLS with client certificates, and a node that the other nodes refuse fails to start
   * (GridException {@code BAD_SETTING}) instead of starting a cluster of its own.
   */
  public static IgniteGrid start(GridConfig cfg, DataDirectory dir) {
    IgniteNodeConfig.systemDefaults();
    IgniteNodeConfig.igniteHome(dir.root().resolve("ignite"));
    GridSslContextFactory tls = NodeTls.factory(cfg);
    IgniteNodeConfig.checkLocalSettings(cfg, dir);
    if (cfg.walMode() == GridConfig.WalMode.FSYNC && !WalWriterPatch.active()) {
      LOG.warn(
          "--wal-mode fsync without memo-s3's patched WAL classes: Ignite 2.17 can acknowledge an"
              + " update before its WAL record is written (README, --wal-mode)");
    }
    Ignite ignite;
    try {
      ignite = Ignition.start(IgniteNodeConfig.server(cfg, dir, tls));
    } catch (RuntimeException e) {
      throw NodeTls.translate(e, cfg);
    }
    try {
      NodeTls.checkNotRefused(ignite, cfg, tls);
      activate(ignite, cfg);
      IgniteGrid grid = new IgniteGrid(ignite, cfg, dir.root().resolve(BLOCK_FILES));
      grid.checkSettings(cfg);
      grid.logBaselineChanges();
      grid.startMigrator();
      recordAddresses(ignite, cfg, dir);
      return grid;
    } catch (RuntimeException e) {
      ignite.close();
      throw e;
    }
  }

  /** This node's discovery address (the port it really bound) and its peers, for clients. */
  private static void recordAddresses(Ignite ignite, GridConfig cfg, DataDirectory dir) {
    int port = ((TcpDiscoverySpi) ignite.configuration().getDiscoverySpi()).getLocalPort();
    List<String> addrs = new ArrayList<>();
    addrs.add(cfg.host() + ":" + port);
    addrs.addAll(cfg.peers());
    try {
      dir.recordGridAddresses(addrs);
    } catch (java.io.IOException e) {
      LOG.warn("cannot record the grid address in the data directory: {}", e.toString());
    }
  }

  /**
   * Joins a running grid as an Ignite client node (it holds no data and no persistence) and opens
   * the caches its server nodes created; creates nothing. For commands run while a node holds the
   * data directory.
   *
   * @param discoveryAddresses {@code host:port} of server nodes to try, in order
   * @param host the interface the client binds its own sockets to
   * @param joinTimeoutMillis how long to try before giving up with {@code UNAVAILABLE}
   * @param cfg the grid settings of the running node's directory: its grid TLS files, if any, are
   *     the client's too
   */
  public static IgniteGrid join(
      List<String> discoveryAddresses, String host, long joinTimeoutMillis, GridConfig cfg) {
    IgniteNodeConfig.systemDefaults();
    GridSslContextFactory tls = NodeTls.factory(cfg);
    java.nio.file.Path work;
    try {
      work = java.nio.file.Files.createTempDirectory("memo-s3-client");
    } catch (java.io.IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot create a client work directory: " + e, e);
    }
    IgniteNodeConfig.igniteHome(work);
    IgniteConfiguration c;
    try {
      c = IgniteNodeConfig.client(discoveryAddresses, host, joinTimeoutMillis, work, tls);
    } catch (RuntimeException e) {
      deleteTree(work);
      throw e;
    }
    Ignite ignite;
    try {
      ignite = Ignition.start(c);
    } catch (RuntimeException e) {
      deleteTree(work);
      String why = IgniteErrors.rootMessage(e);
      boolean tlsMismatch = why.contains("SSL") || hasCause(e, javax.net.ssl.SSLException.class);
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "cannot join the running grid at "
              + discoveryAddresses
              + ": "
              + why
              + (tlsMismatch
                  ? cfg.tls() == null
                      ? " (the node uses grid TLS: give this command its --grid-tls-cert,"
                          + " --grid-tls-key and --grid-tls-ca, or its --config)"
                      : " (the node refused this command's grid TLS certificate, or uses none)"
                  : ""),
          e);
    }
    try {
      if (ignite.cluster().state() != ClusterState.ACTIVE) {
        throw new GridException(
            GridException.Reason.UNAVAILABLE,
            "the running grid is not active yet (its baseline nodes are not all back)");
      }
      return new IgniteGrid(ignite, work);
    } catch (RuntimeException e) {
      Ignition.stop(ignite.name(), true);
      deleteTree(work);
      throw e;
    }
  }

  static void deleteTree(java.nio.file.Path dir) {
    try (var s = java.nio.file.Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temp directory: the OS cleans it eventually
    }
  }

  private static void activate(Ignite ignite, GridConfig cfg) {
    var cluster = ignite.cluster();
    if (cluster.state() != ClusterState.ACTIVE) {
      if (cluster.currentBaselineTopology() == null) {
        LOG.info("fresh grid: activating");
        cluster.state(ClusterState.ACTIVE);
      } else {
        long next = System.currentTimeMillis();
        while (cluster.state() != ClusterState.ACTIVE) {
          if (System.currentTimeMillis() >= next) {
            LOG.warn(
                "waiting for the baseline nodes to come back before activating ({} of {} present)",
                cluster.nodes().size(),
                cluster.currentBaselineTopology().size());
            next += 10_000;
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GridException(GridException.Reason.UNAVAILABLE, "interrupted at start");
          }
        }
      }
    }
    cluster.baselineAutoAdjustEnabled(true);
    cluster.baselineAutoAdjustTimeout(cfg.baselineAutoAdjustMillis());
  }

  /** One INFO line now and on every baseline change: operators (and tests) can follow it. */
  private void logBaselineChanges() {
    ignite
        .events()
        .localListen(
            e -> {
              logBaseline("baseline changed");
              return true;
            },
            EventType.EVT_BASELINE_CHANGED);
    ignite
        .events()
        .localListen(
            e -> {
              // Not on the discovery thread: reading the topology from it can deadlock.
              Thread t = new Thread(this::recoverLostPartitions, "memo-s3-lost-partitions");
              t.setDaemon(true);
              t.start();
              return true;
            },
            EventType.EVT_NODE_JOINED);
    logBaseline("grid ready");
  }

  /**
   * When a node joins and every baseline node is online again, partitions that were lost while a
   * baseline node was away have their owner back with its persisted data: they are returned to
   * service. Lost partitions whose owner left the baseline for good stay lost (and requests that
   * touch them keep answering 503) until an operator decides.
   */
  private void recoverLostPartitions() {
    try {
      var baseline = ignite.cluster().currentBaselineTopology();
      if (baseline == null) {
        return;
      }
      java.util.Set<Object> online = new java.util.HashSet<>();
      for (var n : ignite.cluster().forServers().nodes()) {
        online.add(n.consistentId());
      }
      for (var b : baseline) {
        if (!online.contains(b.consistentId())) {
          return;
        }
      }
      List<String> lost = new ArrayList<>();
      for (String name : ignite.cacheNames()) {
        if (!ignite.cache(name).lostPartitions().isEmpty()) {
          lost.add(name);
        }
      }
      if (!lost.isEmpty()) {
        LOG.warn("all baseline nodes are back: returning lost partitions of {} to service", lost);
        ignite.resetLostPartitions(lost);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not check for lost partitions: {}", e.toString());
    }
  }

  private void logBaseline(String what) {
    try {
      LOG.info(
          "{}: baseline of {} nodes, {} server nodes in the topology",
          what,
          baselineNodes(),
          serverNodes());
    } catch (RuntimeException e) {
      LOG.info("{} (baseline not readable: {})", what, e.toString());
    }
  }

  private void checkSettings(GridConfig cfg) {
    String want =
        "pageSize="
            + cfg.pageSize()
            + ";partitions="
            + cfg.partitions()
            + ";backups="
            + cfg.backups();
    RecordTable meta = table(Table.META);
    Optional<VersionedRecord> cur = meta.get(0, SETTINGS_KEY);
    if (cur.isEmpty()) {
      var r = meta.compareAndSet(0, SETTINGS_KEY, 0, want.getBytes());
      cur = r.applied() ? Optional.empty() : r.current();
    }
    if (cur.isPresent()) {
      String have = new String(cur.get().value());
      if (!have.equals(want)) {
        throw new GridException(
            GridException.Reason.SETTINGS_MISMATCH,
            "this grid was created with "
                + have
                + " but is started with "
                + want
                + "; these settings cannot change after creation");
      }
    }
  }

  private static <K, V> CacheConfiguration<K, V> base(String name, GridConfig cfg) {
    return new CacheConfiguration<K, V>(name)
        .setCacheMode(CacheMode.PARTITIONED)
        .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
        .setBackups(cfg.backups())
        .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
        .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
        .setAffinity(new RendezvousAffinityFunction(false, cfg.partitions()));
  }

  private static CacheConfiguration<BlockKey, byte[]> blockCacheConfig(GridConfig cfg) {
    return base(BLOCKS, cfg);
  }

  private static CacheConfiguration<RowKey, Row> recordCacheConfig(Table t, GridConfig cfg) {
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    fields.put("g", Long.class.getName());
    fields.put("k", byte[].class.getName());
    QueryIndex idx = new QueryIndex(List.of("g", "k"), QueryIndexType.SORTED);
    idx.setName(indexName(t));
    idx.setInlineSize(160);
    QueryEntity qe =
        new QueryEntity(RowKey.class.getName(), Row.class.getName())
            .setTableName("T_" + t.name())
            .setFields(fields)
            .setIndexes(List.of(idx));
    CacheConfiguration<RowKey, Row> c = base(cacheName(t), cfg);
    return c.setGroupName(RECORDS_GROUP).setQueryEntities(List.of(qe)).setSqlSchema("MEMO");
  }

  static String cacheName(Table t) {
    return "rec_" + t.name().toLowerCase(java.util.Locale.ROOT);
  }

  static String indexName(Table t) {
    return "IDX_" + t.name() + "_GK";
  }

  @Override
  public BlockStore blocks() {
    return blocks;
  }

  @Override
  public RecordTable table(Table table) {
    return tables.get(table);
  }

  /**
   * One pessimistic transaction over the records of {@code ops}, locked in table then key order
   * (two such transactions never wait for each other in a cycle); rolled back at the first CAS that
   * does not apply. On caches created ATOMIC, which take no part in transactions, the CASes run one
   * by one in the caller's order ({@link #oneByOne}).
   */
  @Override
  public boolean compareAndSetAll(List<Cas> ops) {
    try {
      if (ops.size() == 1) {
        // One record needs no transaction of its own: a CAS is already atomic.
        Cas c = ops.get(0);
        return tables
            .get(c.table())
            .compareAndSet(c.group(), c.key(), c.expectedVersion(), c.value())
            .applied();
      }
      if (atomicCaches) {
        return oneByOne(ops);
      }
      List<Cas> ordered = new ArrayList<>(ops);
      ordered.sort(
          java.util.Comparator.comparing(Cas::table)
              .thenComparingLong(Cas::group)
              .thenComparing(Cas::key, java.util.Arrays::compareUnsigned));
      try (Transaction tx =
          ignite
              .transactions()
              .txStart(
                  TransactionConcurrency.PESSIMISTIC,
                  TransactionIsolation.REPEATABLE_READ,
                  TRANSACTION_TIMEOUT_MS,
                  ordered.size())) {
        for (Cas c : ordered) {
          if (!tables
              .get(c.table())
              .compareAndSetInTransaction(c.group(), c.key(), c.expectedVersion(), c.value())) {
            return false; // closing the transaction rolls it back
          }
        }
        tx.commit();
        return true;
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  /**
   * The CASes of {@code ops} one by one, in order, as memo-s3 wrote before it had transactions: the
   * answer is that of the head's CAS (the commit point), or of the first when no head is among
   * them; a failure of another is ignored, as it was then. Not atomic: grids with ATOMIC caches
   * keep the races that transactions closed (DESIGN.md, "Versions").
   */
  private boolean oneByOne(List<Cas> ops) {
    Cas decisive =
        ops.stream().filter(c -> c.table() == Table.HEADS).findFirst().orElse(ops.get(0));
    boolean applied = false;
    for (Cas c : ops) {
      boolean ok =
          tables
              .get(c.table())
              .compareAndSet(c.group(), c.key(), c.expectedVersion(), c.value())
              .applied();
      if (c == decisive) {
        if (!ok) {
          return false;
        }
        applied = true;
      }
    }
    return applied;
  }

  @Override
  public boolean ready() {
    try {
      return ignite.cluster().state() == ClusterState.ACTIVE
          && ignite.cache(BLOCKS).lostPartitions().isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean settled() {
    if (!ready()) {
      return false;
    }
    try {
      for (String name : ignite.cacheNames()) {
        // The future of the current rebalancing; done when no partition of the cache is moving.
        if (!ignite.cache(name).rebalance().isDone()) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * True while this is a server node and the only one: every record read is then local (at most a
   * page read from this node's disk, never a wait on another node). Recomputed when the topology
   * version changes, so cheap enough to ask on every request.
   */
  public boolean readsLocal() {
    long version = ignite.cluster().topologyVersion();
    LoneNode known = loneNode;
    if (known == null || known.topologyVersion() != version) {
      known = new LoneNode(version, !isClient() && serverNodes() == 1);
      loneNode = known;
    }
    return known.lone();
  }

  private record LoneNode(long topologyVersion, boolean lone) {}

  private volatile LoneNode loneNode;

  /** Number of server nodes in the current topology. */
  public int serverNodes() {
    return ignite.cluster().forServers().nodes().size();
  }

  /** State, topology, baseline and lost partitions of the cluster (admin endpoint). */
  public ClusterStatus clusterStatus() {
    return ClusterStatus.read(ignite);
  }

  /** Rebalancing, partition copies and local storage of the grid's caches (metrics). */
  public PartitionStatus partitionStatus() {
    return PartitionStatus.read(ignite);
  }

  /** Number of nodes in the baseline topology. */
  public int baselineNodes() {
    var b = ignite.cluster().currentBaselineTopology();
    return b == null ? 0 : b.size();
  }

  /**
   * Fault injection for tests only: replaces the stored bytes of a block without any check, as disk
   * corruption would. Never called by the product.
   */
  public void overwriteBlockForTesting(org.memos3.grid.block.BlockAddress address, byte[] bytes) {
    try {
      blocks.overwriteForTesting(address, bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Creates a snapshot of every persistent cache of the cluster, consistent across it; see {@link
   * IgniteSnapshots#create}. Works on a server and on a client node.
   */
  public void createSnapshot(String name, Runnable tick) {
    IgniteSnapshots.create(ignite, name, tick);
  }

  /**
   * Fills the fresh data directory {@code dir} from snapshot {@code name} in {@code snapshotRoot};
   * see {@link IgniteSnapshots#restore}.
   */
  public static void restoreSnapshot(
      GridConfig cfg,
      DataDirectory dir,
      java.nio.file.Path snapshotRoot,
      String name,
      Runnable tick) {
    IgniteSnapshots.restore(cfg, dir, snapshotRoot, name, tick);
  }

  /** The Ignite node, for tests in this package. */
  Ignite ignite() {
    return ignite;
  }

  /** True for a client node joined by {@link #join}: it stores nothing itself. */
  public boolean isClient() {
    return tempWorkDir != null;
  }

  /**
   * Every 10 s: when this node has block files and the grid has other server nodes, moves them into
   * the replicated cache ({@link IgniteBlockStore#migrateFiles}).
   */
  private void startMigrator() {
    var ex =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "memo-s3-block-files");
              t.setDaemon(true);
              return t;
            });
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            int n = blocks.migrateFiles(() -> closing);
            if (n > 0) {
              LOG.info("moved {} block files into the replicated blocks cache", n);
            }
          } catch (RuntimeException e) {
            LOG.warn("moving block files into the grid failed (retried in 10 s): {}", e.toString());
          }
        },
        10,
        10,
        java.util.concurrent.TimeUnit.SECONDS);
    migrator = ex;
  }

  /** Number of this node's chunk files (0 on a client). */
  public long blockFiles() {
    return blocks.files() == null ? 0 : blocks.files().count();
  }

  /** Bytes of this node's chunk files (0 on a client). */
  public long blockFileBytes() {
    return blocks.files() == null ? 0 : blocks.files().bytes();
  }

  /** Moves block files into the cache now if the grid has other server nodes; the count moved. */
  public int migrateBlockFiles() {
    return blocks.migrateFiles(() -> closing);
  }

  /** Set at close: a move of block files in progress stops at the next file. */
  private volatile boolean closing;

  @Override
  public void close() {
    closing = true;
    if (migrator != null) {
      migrator.shutdownNow();
      try {
        migrator.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Ignition.stop(ignite.name(), false);
    if (tempWorkDir != null) {
      deleteTree(tempWorkDir);
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
