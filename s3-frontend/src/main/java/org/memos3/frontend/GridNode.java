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
 * and the embedded Ignite node. Used by {@link Gateway} and by CLI commands that work on the data
 * directory of a stopped node.
 */
public final class GridNode implements AutoCloseable {
  private final DataDirectory dir;
  private final MasterKey master;
  private final IgniteGrid grid;
  private final Buckets buckets;
  private final Users users;
  private final Path masterKeyFile;

  private GridNode(DataDirectory dir, MasterKey master, IgniteGrid grid, Path masterKeyFile) {
    this.masterKeyFile = masterKeyFile;
    this.dir = dir;
    this.master = master;
    this.grid = grid;
    this.buckets = new Buckets(grid, master, Clock.systemUTC());
    this.users = new Users(grid, buckets, master, Clock.systemUTC());
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
      return new GridNode(dir, master, grid, keyFile);
    } catch (IOException | RuntimeException e) {
      if (grid != null) {
        grid.close();
      }
      dir.close();
      throw e;
    }
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
    return dir.root();
  }

  @Override
  public void close() {
    grid.close();
    try {
      dir.close();
    } catch (IOException e) {
      // the lock goes away with the process anyway
    }
  }
}
