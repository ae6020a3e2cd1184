package org.memos3.grid;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the grid node needs to start. Settings marked "fixed at creation" are recorded in the
 * grid on first start and checked on every later one.
 *
 * @param dataDir where the node keeps its persistence, WAL, node id and lock file
 * @param host the interface Ignite's discovery and communication bind to
 * @param discoveryPort Ignite discovery port of this node
 * @param communicationPort Ignite communication port of this node
 * @param peers discovery addresses ({@code host:port}) of the other nodes; empty for a lone node
 * @param dataRegionBytes off-heap page memory (initial = max)
 * @param walMode {@code LOG_ONLY} (survives a process crash) or {@code FSYNC} (survives power loss)
 * @param walSegmentBytes size of one WAL segment file
 * @param walSegments number of preallocated WAL segments in the work directory
 * @param maxWalArchiveBytes cap of the WAL archive
 * @param pageSize page size in bytes (fixed at creation)
 * @param partitions partitions per cache (fixed at creation)
 * @param backups backup copies per partition (fixed at creation)
 * @param baselineAutoAdjustMillis delay before the baseline follows a node join or loss
 * @param checkpointFrequencyMillis how often dirty pages are written to the partition files
 * @param directIo chunk files of 128 KiB and more bypass the page cache ({@code O_DIRECT}) where
 *     the file system allows it
 * @param tls TLS with required client certificates on discovery and communication; null for plain
 *     TCP between nodes
 */
public record GridConfig(
    Path dataDir,
    String host,
    int discoveryPort,
    int communicationPort,
    List<String> peers,
    long dataRegionBytes,
    WalMode walMode,
    int walSegmentBytes,
    int walSegments,
    long maxWalArchiveBytes,
    int pageSize,
    int partitions,
    int backups,
    long baselineAutoAdjustMillis,
    long checkpointFrequencyMillis,
    boolean directIo,
    Tls tls) {

  /** Durability of acknowledged writes. */
  public enum WalMode {
    /** Survives a process crash ({@code kill -9}), not an OS crash or power loss. */
    LOG_ONLY,
    /** fsync on every commit: survives power loss, at a cost. */
    FSYNC
  }

  /**
   * PEM files of mutual TLS between nodes: this node's certificate chain (leaf first) and its
   * PKCS#8 key, and the CA bundle every peer's certificate must chain to. Paths only: the files are
   * read and checked when the node starts.
   */
  public record Tls(Path certificate, Path privateKey, Path caBundle) {}

  public static final long MIB = 1024L * 1024;

  /** Defaults for a laptop: one node on loopback. */
  public static GridConfig defaults(Path dataDir) {
    return new GridConfig(
        dataDir,
        "127.0.0.1",
        47500,
        47100,
        List.of(),
        512 * MIB,
        WalMode.LOG_ONLY,
        (int) (64 * MIB),
        4,
        1024 * MIB,
        16384,
        256,
        1,
        60_000,
        180_000,
        true,
        null);
  }

  /** Small settings for tests: a few MiB of WAL, a small data region. */
  public static GridConfig forTests(Path dataDir, int discoveryPort, int communicationPort) {
    return new GridConfig(
        dataDir,
        "127.0.0.1",
        discoveryPort,
        communicationPort,
        List.of(),
        96 * MIB,
        WalMode.LOG_ONLY,
        (int) (8 * MIB),
        3,
        32 * MIB,
        16384,
        64,
        1,
        5_000,
        180_000,
        true,
        null);
  }

  public GridConfig withPorts(int newDiscoveryPort, int newCommunicationPort) {
    return new GridConfig(
        dataDir,
        host,
        newDiscoveryPort,
        newCommunicationPort,
        peers,
        dataRegionBytes,
        walMode,
        walSegmentBytes,
        walSegments,
        maxWalArchiveBytes,
        pageSize,
        partitions,
        backups,
        baselineAutoAdjustMillis,
        checkpointFrequencyMillis,
        directIo,
        tls);
  }

  public GridConfig withPeers(List<String> newPeers) {
    return new GridConfig(
        dataDir,
        host,
        discoveryPort,
        communicationPort,
        List.copyOf(newPeers),
        dataRegionBytes,
        walMode,
        walSegmentBytes,
        walSegments,
        maxWalArchiveBytes,
        pageSize,
        partitions,
        backups,
        baselineAutoAdjustMillis,
        checkpointFrequencyMillis,
        directIo,
        tls);
  }

  /** The same settings with another WAL mode. */
  public GridConfig withWalMode(WalMode newWalMode) {
    return new GridConfig(
        dataDir,
        host,
        discoveryPort,
        communicationPort,
        peers,
        dataRegionBytes,
        newWalMode,
        walSegmentBytes,
        walSegments,
        maxWalArchiveBytes,
        pageSize,
        partitions,
        backups,
        baselineAutoAdjustMillis,
        checkpointFrequencyMillis,
        directIo,
        tls);
  }

  /** The same settings with mutual TLS between nodes ({@code null}: plain TCP). */
  public GridConfig withTls(Tls newTls) {
    return new GridConfig(
        dataDir,
        host,
        discoveryPort,
        communicationPort,
        peers,
        dataRegionBytes,
        walMode,
        walSegmentBytes,
        walSegments,
        maxWalArchiveBytes,
        pageSize,
        partitions,
        backups,
        baselineAutoAdjustMillis,
        checkpointFrequencyMillis,
        directIo,
        newTls);
  }
}
