package org.memos3.grid.ignite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.IgniteSystemProperties;
import org.apache.ignite.calcite.CalciteQueryEngineConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SqlConfiguration;
import org.apache.ignite.configuration.WALMode;
import org.apache.ignite.events.EventType;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.internal.processors.cache.persistence.wal.FileWriteAheadLogManager;
import org.apache.ignite.logger.slf4j.Slf4jLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;
import org.slf4j.LoggerFactory;

/**
 * How this project configures Ignite nodes: the persistent server node of a data directory, the
 * client node of a command that joins a running one, the JVM-wide system properties, and the check
 * of the settings a data directory was created with. Builds configurations only; starts nothing.
 */
final class IgniteNodeConfig {
  private IgniteNodeConfig() {}

  /** Ignite's JVM-wide switches, unless the operator set them. */
  static void systemDefaults() {
    setDefaultProperty("IGNITE_UPDATE_NOTIFIER", "false");
    // The WAL is memory-mapped when memo-s3's patched FileHandleManagerImpl is the one loaded: a
    // LOG_ONLY commit then returns once every record up to its own is wholly in the mapping (page
    // cache pages of the segment file, which a kill -9 leaves to the OS), with no writer thread to
    // wait for. Ignite's own class returned as soon as the commit's own record was copied, while a
    // concurrent writer could still be copying an earlier one: a kill -9 then left a hole at which
    // recovery stops, and every later record was gone, acknowledged ones included (CrashIT and
    // TortureIT both caught it). Without the patch the WAL goes through its buffer and writer
    // thread, where a commit waits until the buffer is written up to and including its record.
    boolean patched = WalWriterPatch.active();
    setDefaultProperty(IgniteSystemProperties.IGNITE_WAL_MMAP, Boolean.toString(patched));
    if (!patched && walMemoryMapped()) {
      LoggerFactory.getLogger(IgniteNodeConfig.class)
          .warn(
              "IGNITE_WAL_MMAP=true without memo-s3's patched WAL writer: a kill -9 or crash can"
                  + " lose writes that were already acknowledged; unset it to get memo-s3's"
                  + " durability");
    }
    WalWriterPatch.check();
    setDefaultProperty("IGNITE_NO_ASCII", "true");
    // Not quiet: quiet mode prints to stdout; this way everything goes through SLF4J.
    setDefaultProperty("IGNITE_QUIET", "false");
    setDefaultProperty("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
    setDefaultProperty("java.net.preferIPv4Stack", "true");
  }

  /**
   * Ignite's snapshot code resolves a default work directory from the JVM's Ignite home (else from
   * the current directory, where it left {@code ignite/work/README.txt}): unless {@code
   * IGNITE_HOME} is set, it becomes {@code home}, created if needed. Ignite resolves its home once
   * per JVM and refuses another one later (nor may the directory disappear), so the first node of a
   * process decides; test JVMs, which start many nodes on temporary directories, set {@code
   * IGNITE_HOME}.
   */
  static void igniteHome(java.nio.file.Path home) {
    if (System.getProperty("IGNITE_HOME") != null || System.getenv("IGNITE_HOME") != null) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(home);
    } catch (java.io.IOException e) {
      throw new GridException(GridException.Reason.UNAVAILABLE, "cannot create " + home, e);
    }
    System.setProperty("IGNITE_HOME", home.toString());
  }

  /**
   * True when the nodes of this JVM memory-map their WAL (read as Ignite's WAL manager reads it).
   */
  static boolean walMemoryMapped() {
    return IgniteSystemProperties.getBoolean(
        IgniteSystemProperties.IGNITE_WAL_MMAP, FileWriteAheadLogManager.DFLT_WAL_MMAP);
  }

  private static void setDefaultProperty(String k, String v) {
    if (System.getProperty(k) == null) {
      System.setProperty(k, v);
    }
  }

  /**
   * The settings this node's files were created with, kept in the data directory and checked before
   * Ignite reads anything: a different page size or WAL segment count or size makes Ignite misread
   * its own WAL ("Failed to read checkpoint record"), so such a start is refused with one clear
   * line instead.
   */
  static void checkLocalSettings(GridConfig cfg, DataDirectory dir) {
    java.nio.file.Path file = dir.root().resolve("grid-settings");
    String want =
        "pageSize="
            + cfg.pageSize()
            + "\nwalSegments="
            + cfg.walSegments()
            + "\nwalSegmentBytes="
            + cfg.walSegmentBytes()
            + "\n";
    try {
      if (java.nio.file.Files.exists(file)) {
        String have = java.nio.file.Files.readString(file);
        if (!have.equals(want)) {
          throw new GridException(
              GridException.Reason.SETTINGS_MISMATCH,
              "the data directory "
                  + dir.root()
                  + " was created with "
                  + have.strip().replace('\n', ' ')
                  + " but is started with "
                  + want.strip().replace('\n', ' ')
                  + "; these settings cannot change after creation");
        }
      } else {
        java.nio.file.Files.writeString(file, want);
      }
    } catch (java.io.IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot read or write " + file + ": " + e, e);
    }
  }

  /**
   * Ignite's communication SPI with the kernel's own socket buffer sizes. Ignite fixes both at 32
   * KiB by default, which also turns off TCP window scaling; on loopback, whose segments are up to
   * 64 KiB, the receiver then drops segments it has no room for, and each drop costs a
   * retransmission timeout that doubles when it repeats. Measured with {@code ss -ti} during
   * TortureIT's cluster variant: 8-119 retransmitted segments per link between nodes (at most one
   * on the kernel-sized sockets), and a latch acknowledgement or partition message of a node
   * rejoining behind rebalancing traffic took 15-21 s to arrive, so partition map exchanges took
   * 30-40 s and requests waited meanwhile (DESIGN.md section 10, "Socket buffers between nodes").
   */
  static TcpCommunicationSpi communication() {
    TcpCommunicationSpi comm = new TcpCommunicationSpi();
    comm.setSocketReceiveBuffer(0);
    comm.setSocketSendBuffer(0);
    return comm;
  }

  /** A persistent server node on the data directory {@code dir}. */
  static IgniteConfiguration server(GridConfig cfg, DataDirectory dir, GridSslContextFactory tls) {
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    List<String> addrs = new ArrayList<>();
    addrs.add(cfg.host() + ":" + cfg.discoveryPort());
    addrs.addAll(cfg.peers());
    finder.setAddresses(addrs);
    TcpDiscoverySpi disco = new TcpDiscoverySpi();
    disco.setLocalAddress(cfg.host());
    disco.setLocalPort(cfg.discoveryPort());
    disco.setLocalPortRange(0);
    disco.setIpFinder(finder);

    TcpCommunicationSpi comm = communication();
    comm.setLocalAddress(cfg.host());
    comm.setLocalPort(cfg.communicationPort());
    comm.setLocalPortRange(0);

    DataRegionConfiguration region =
        new DataRegionConfiguration()
            .setName("default")
            .setPersistenceEnabled(true)
            .setInitialSize(cfg.dataRegionBytes())
            .setMaxSize(cfg.dataRegionBytes());
    DataStorageConfiguration storage =
        new DataStorageConfiguration()
            .setPageSize(cfg.pageSize())
            .setWalMode(
                cfg.walMode() == GridConfig.WalMode.FSYNC ? WALMode.FSYNC : WALMode.LOG_ONLY)
            .setWalSegmentSize(cfg.walSegmentBytes())
            // A WAL record holds a whole block (1 MiB chunk + header): the buffer must exceed it.
            .setWalBufferSize(Math.max(4 << 20, cfg.walSegmentBytes() / 4))
            .setWalSegments(cfg.walSegments())
            .setMaxWalArchiveSize(cfg.maxWalArchiveBytes())
            .setCheckpointFrequency(cfg.checkpointFrequencyMillis())
            // Pages through plain channels, the WAL through Ignite's asynchronous ones.
            .setFileIOFactory(new StoreFileIOFactory())
            .setDefaultDataRegionConfiguration(region);

    return new IgniteConfiguration()
        .setSnapshotPath(dir.root().resolve(IgniteGrid.SNAPSHOTS).toString())
        .setIgniteInstanceName(dir.nodeId())
        .setConsistentId(dir.nodeId())
        .setWorkDirectory(dir.root().resolve("ignite").toString())
        .setGridLogger(new Slf4jLogger())
        .setFailureHandler(new StopNodeFailureHandler())
        .setClientConnectorConfiguration(null)
        .setConnectorConfiguration(null)
        .setPeerClassLoadingEnabled(false)
        .setMetricsLogFrequency(0)
        // Recorded only to log baseline changes (rare), see logBaselineChanges.
        .setIncludeEventTypes(EventType.EVT_BASELINE_CHANGED, EventType.EVT_NODE_JOINED)
        .setLocalHost(cfg.host())
        // Both SPIs take TLS from here; null: plain TCP.
        .setSslContextFactory(tls)
        .setDiscoverySpi(disco)
        .setCommunicationSpi(comm)
        .setDataStorageConfiguration(storage)
        .setSqlConfiguration(
            new SqlConfiguration()
                .setQueryEnginesConfiguration(
                    new CalciteQueryEngineConfiguration().setDefault(true)));
  }

  /**
   * A client node: joins the servers at {@code discoveryAddresses}, binds its sockets to {@code
   * host}, keeps its binary metadata in {@code work}; no persistence, no connectors.
   */
  static IgniteConfiguration client(
      List<String> discoveryAddresses,
      String host,
      long joinTimeoutMillis,
      Path work,
      GridSslContextFactory tls) {
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(discoveryAddresses);
    TcpDiscoverySpi disco = new TcpDiscoverySpi();
    disco.setLocalAddress(host);
    disco.setIpFinder(finder);
    disco.setJoinTimeout(joinTimeoutMillis);
    disco.setClientReconnectDisabled(true);
    // Servers open connections back to a client: it needs a port of its own (Ignite wants a
    // fixed start above 1023, so a free one is picked and a range covers a race for it).
    TcpCommunicationSpi comm = communication();
    comm.setLocalAddress(host);
    comm.setLocalPort(freePort(host));
    comm.setLocalPortRange(100);
    return new IgniteConfiguration()
        .setClientMode(true)
        .setIgniteInstanceName(
            "memo-s3-client-" + Long.toHexString(new java.security.SecureRandom().nextLong()))
        .setWorkDirectory(work.toString())
        .setGridLogger(new Slf4jLogger())
        .setFailureHandler(new StopNodeFailureHandler())
        .setClientConnectorConfiguration(null)
        .setConnectorConfiguration(null)
        .setPeerClassLoadingEnabled(false)
        .setMetricsLogFrequency(0)
        .setLocalHost(host)
        // Both SPIs take TLS from here; null: plain TCP.
        .setSslContextFactory(tls)
        .setDiscoverySpi(disco)
        .setCommunicationSpi(comm)
        .setSqlConfiguration(
            new SqlConfiguration()
                .setQueryEnginesConfiguration(
                    new CalciteQueryEngineConfiguration().setDefault(true)));
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return Math.max(s.getLocalPort(), 1024);
    } catch (java.io.IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot bind a client port on " + host + ": " + e, e);
    }
  }
}
