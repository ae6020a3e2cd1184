package org.memos3.frontend;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.block.Table;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.ignite.IgniteGrid;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.user.Users;

/**
 * The storage half of a node: the locked data directory, the master key (checked against the grid)
 * and the embedded Ignite node. Used by {@link Gateway} and by CLI commands, which either work on
 * the data directory of a stopped node ({@link #open}) or join the node running on it as an Ignite
 * client ({@link #openOrJoin}).
 */
public final class GridNode implements AutoCloseable {
  /** The lock of the data directory; null for a client joined to the node that holds it. */
  private final DataDirectory dir;

  private final Path dataDir;
  private final MasterKey master;
  private final IgniteGrid grid;
  private final Buckets buckets;
  private final Users users;
  private final Path masterKeyFile;

  private GridNode(
      DataDirectory dir, Path dataDir, MasterKey master, IgniteGrid grid, Path masterKeyFile) {
    this.masterKeyFile = masterKeyFile;
    this.dir = dir;
    this.dataDir = dataDir;
    this.master = master;
    this.grid = grid;
    this.buckets = new Buckets(grid, master, Clock.systemUTC());
    this.users = new Users(grid, buckets, master, Clock.systemUTC());
  }

  /**
   * {@link #open} for commands that work on the directory of an existing node ({@code gc}, {@code
   * scrub}, {@code master-key rotate}, {@code snapshot create}): a directory no node has run on is
   * refused, where {@code open} would make a new, empty grid of a mistyped {@code --data}.
   */
  public static GridNode openExisting(GridConfig cfg, Path masterKeyFile) throws IOException {
    requireExisting(cfg);
    return open(cfg, masterKeyFile);
  }

  private static void requireExisting(GridConfig cfg) throws IOException {
    Path root = cfg.dataDir().toAbsolutePath().normalize();
    if (!java.nio.file.Files.exists(root.resolve("node-id"))) {
      throw new IOException(
          "no memo-s3 node has run on "
              + root
              + " (no node-id there): give --data the directory of `memo-s3 serve`");
    }
  }

  /**
   * Locks the data directory, loads (or, without an operator key file, creates) the master key,
   * starts the grid node and checks the key against the grid.
   *
   * @param masterKeyFile operator-supplied key file; null for the one in the data directory
   */
  public static GridNode open(GridConfig cfg, Path masterKeyFile) throws IOException {
    DataDirectory dir = DataDirectory.open(cfg.dataDir());
    IgniteGrid grid = null;
    try {
      boolean ownKey = masterKeyFile == null;
      Path keyFile = ownKey ? dir.root().resolve("keys").resolve("master.key") : masterKeyFile;
      MasterKey master = MasterKey.loadOrCreate(keyFile, ownKey);
      if (ownKey) {
        MasterKey.restrictToOwner(keyFile.getParent());
      }
      Path next = MasterKey.nextKeyFile(keyFile);
      if (java.nio.file.Files.exists(next)) {
        // A rotation was interrupted: accept values wrapped with either key until it is rerun.
        master = master.orElse(MasterKey.loadOrCreate(next, false));
      }
      grid = IgniteGrid.start(cfg, dir);
      master.verifyAgainst(grid.table(Table.META));
      return new GridNode(dir, dir.root(), master, grid, keyFile);
    } catch (IOException | RuntimeException e) {
      if (grid != null) {
        grid.close();
      }
      dir.close();
      throw e;
    }
  }

  /** How long a command waits to join a running node before it gives up. */
  static final long JOIN_TIMEOUT_MILLIS = 30_000;

  /**
   * {@link #open} on the data directory of a stopped node; when a running node holds it, joins that
   * node's grid as an Ignite client instead, at the discovery address the node recorded in the
   * directory (or, from a node that recorded none, {@code cfg}'s grid host and discovery port),
   * plus {@code cfg}'s peers. The master key is read from the same place as {@code open} reads it
   * (never created here) and checked against the grid.
   */
  public static GridNode openOrJoin(GridConfig cfg, Path masterKeyFile) throws IOException {
    requireExisting(cfg);
    try {
      return open(cfg, masterKeyFile);
    } catch (DataDirectory.InUseException e) {
      return join(cfg, masterKeyFile);
    }
  }

  private static GridNode join(GridConfig cfg, Path masterKeyFile) throws IOException {
    Path root = cfg.dataDir().toAbsolutePath().normalize();
    java.util.LinkedHashSet<String> addrs =
        new java.util.LinkedHashSet<>(DataDirectory.recordedGridAddresses(root));
    if (addrs.isEmpty()) {
      addrs.add(cfg.host() + ":" + cfg.discoveryPort());
    }
    addrs.addAll(cfg.peers());
    String first = addrs.iterator().next();
    String host = first.substring(0, Math.max(0, first.lastIndexOf(':')));
    Path keyFile =
        masterKeyFile == null ? root.resolve("keys").resolve("master.key") : masterKeyFile;
    MasterKey master = MasterKey.loadOrCreate(keyFile, false);
    Path next = MasterKey.nextKeyFile(keyFile);
    if (java.nio.file.Files.exists(next)) {
      master = master.orElse(MasterKey.loadOrCreate(next, false));
    }
    IgniteGrid grid =
        IgniteGrid.join(
            java.util.List.copyOf(addrs),
            host.isEmpty() ? cfg.host() : host,
            JOIN_TIMEOUT_MILLIS,
            cfg);
    try {
      master.verifyAgainst(grid.table(Table.META));
      return new GridNode(null, root, master, grid, keyFile);
    } catch (RuntimeException e) {
      grid.close();
      throw e;
    }
  }

  /** True when this is a client joined to the running node of the data directory. */
  public boolean joined() {
    return dir == null;
  }

  public IgniteGrid grid() {
    return grid;
  }

  public MasterKey master() {
    return master;
  }

  public Buckets buckets() {
    return buckets;
  }

  /** The master key file this node uses (in the data directory unless supplied). */
  public Path masterKeyFile() {
    return masterKeyFile;
  }

  /** Users and access keys (the root user is not among them: it comes from the settings). */
  public Users users() {
    return users;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    grid.close();
    if (dir == null) {
      return;
    }
    try {
      dir.close();
    } catch (IOException e) {
      // the lock goes away with the process anyway
    }
  }
}
