package org.memos3.grid;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.memos3.grid.crypto.MasterKey;

/**
 * The data directory of one node: holds its lock (one process at a time) and its persisted Ignite
 * consistent id, so that a restart finds the same node folder instead of silently starting an empty
 * one. While a node runs, it also records its discovery address here, so that commands run on the
 * same directory can join it as a client (see {@link #recordGridAddresses}).
 */
public final class DataDirectory implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String nodeId;

  private DataDirectory(Path root, FileChannel ch, FileLock lock, String nodeId) {
    this.root = root;
    this.lockChannel = ch;
    this.lock = lock;
    this.nodeId = nodeId;
  }

  /**
   * Creates the directory if needed (owner-only), takes its lock and reads or creates the node id.
   *
   * @throws InUseException with a one-line message when another process holds the lock
   */
  public static DataDirectory open(Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    // Owner-only, also when the operator created the directory beforehand: it holds the keys.
    MasterKey.restrictToOwner(root);
    FileChannel ch =
        FileChannel.open(
            root.resolve("memo-s3.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new InUseException(
          "data directory "
              + root
              + " is in use by another memo-s3 process (memo-s3.lock is held)");
    }
    Path idFile = root.resolve("node-id");
    String id;
    if (Files.exists(idFile)) {
      id = Files.readString(idFile).trim();
    } else {
      byte[] r = new byte[6];
      new SecureRandom().nextBytes(r);
      id = "memo_s3_" + HexFormat.of().formatHex(r);
      Files.writeString(idFile, id + "\n");
    }
    return new DataDirectory(root, ch, lock, id);
  }

  /** The file in which a running node records where it can be joined. */
  public static final String GRID_ADDRESS_FILE = "grid-address";

  /**
   * Records the discovery addresses ({@code host:port}) of the grid this node is part of, its own
   * first, for commands that find the directory locked and join the running node as a client
   * instead. Rewritten at every start; meaningful only while the lock is held.
   */
  public void recordGridAddresses(List<String> addresses) throws IOException {
    Path tmp = root.resolve(GRID_ADDRESS_FILE + ".tmp");
    Files.writeString(
        tmp,
        "# discovery addresses of the running node (its own first), for memo-s3 commands\n"
            + String.join("\n", addresses)
            + "\n");
    Files.move(tmp, root.resolve(GRID_ADDRESS_FILE), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The discovery addresses the node running on {@code dir} recorded at its start; empty when there
   * are none (a node of an older version, or a directory that never ran).
   */
  public static List<String> recordedGridAddresses(Path dir) throws IOException {
    Path f = dir.toAbsolutePath().normalize().resolve(GRID_ADDRESS_FILE);
    if (!Files.exists(f)) {
      return List.of();
    }
    return Files.readAllLines(f).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  /** Another process (a running node) holds the directory's lock. */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(String message) {
      super(message);
    }
  }

  public Path root() {
    return root;
  }

  /** The persisted Ignite consistent id of this node. */
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
