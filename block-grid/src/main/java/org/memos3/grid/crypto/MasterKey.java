package org.memos3.grid.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.memos3.grid.GridException;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;

/**
 * The master key: wraps bucket keys. Read from a key file (base64, 32 bytes) given by the operator,
 * or generated at first start into the data directory with owner-only permissions. A key-check
 * value in the grid's META table makes a node with another key refuse to start.
 */
public final class MasterKey {
  private static final byte[] CHECK_KEY = "master-key-check".getBytes();
  private static final byte[] CHECK_PLAIN = "memo-s3 master key check v1".getBytes();

  private final byte[] key;
  private final byte[] fallback;

  private MasterKey(byte[] key, byte[] fallback) {
    this.key = key;
    this.fallback = fallback;
  }

  public static MasterKey of(byte[] key) {
    if (key.length != Aead.KEY_BYTES) {
      throw new IllegalArgumentException("master key must be 32 bytes");
    }
    return new MasterKey(key.clone(), null);
  }

  /**
   * A key for the duration of a rotation: wraps with {@code next}, unwraps with {@code next} or
   * with this key (records not rewrapped yet).
   */
  public MasterKey rotatingTo(MasterKey next) {
    return new MasterKey(next.key, key);
  }

  /**
   * Also accepts values wrapped with {@code other} (the key of an interrupted rotation, kept in
   * {@code master.key.next} until the rotation finishes).
   */
  public MasterKey orElse(MasterKey other) {
    return new MasterKey(key, other.key);
  }

  /** The path of the next key of a rotation in progress, beside {@code file}. */
  public static Path nextKeyFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".next");
  }

  /** Writes a new random key to {@code file} (owner-only) and returns it. */
  public static MasterKey generate(Path file) throws IOException {
    byte[] k = Aead.newKey();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        Base64.getEncoder().encodeToString(k) + "\n",
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    restrictToOwner(file);
    return new MasterKey(k, null);
  }

  /**
   * Loads the key from {@code file}; when the file does not exist and {@code create} is set, writes
   * a new random key there (mode 0600).
   */
  public static MasterKey loadOrCreate(Path file, boolean create) throws IOException {
    if (Files.exists(file)) {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(Files.readString(file).trim());
      } catch (IllegalArgumentException e) {
        throw new IOException("master key file " + file + " is not base64");
      }
      if (raw.length != Aead.KEY_BYTES) {
        throw new IOException("master key file " + file + " must hold 32 bytes in base64");
      }
      return new MasterKey(raw, null);
    }
    if (!create) {
      throw new IOException("master key file " + file + " does not exist");
    }
    return generate(file);
  }

  /** Sets owner-only permissions where the file system supports POSIX permissions. */
  public static void restrictToOwner(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(
          p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
    } catch (UnsupportedOperationException e) {
      // Non-POSIX file system: nothing more we can do here.
    }
  }

  /** Wraps a bucket or data key under this master key, bound to {@code context}. */
  public byte[] wrap(byte[] keyToWrap, byte[] context) {
    return Aead.seal(key, context, keyToWrap);
  }

  public byte[] unwrap(byte[] wrapped, byte[] context) {
    try {
      return Aead.open(key, context, wrapped);
    } catch (GridException e) {
      if (fallback == null) {
        throw e;
      }
      return Aead.open(fallback, context, wrapped);
    }
  }

  /** Replaces the key-check value with one for the wrapping key (the end of a rotation). */
  public void writeCheck(RecordTable meta) {
    while (true) {
      Optional<org.memos3.grid.block.VersionedRecord> cur = meta.get(0, CHECK_KEY);
      long expected = cur.map(org.memos3.grid.block.VersionedRecord::version).orElse(0L);
      if (meta.compareAndSet(0, CHECK_KEY, expected, Aead.seal(key, CHECK_KEY, CHECK_PLAIN))
          .applied()) {
        return;
      }
    }
  }

  /**
   * Checks this key against the check value in {@code meta}, writing one on a fresh grid. Throws
   * {@code WRONG_MASTER_KEY} with a clear message on a mismatch.
   */
  public void verifyAgainst(RecordTable meta) {
    Optional<org.memos3.grid.block.VersionedRecord> cur = meta.get(0, CHECK_KEY);
    if (cur.isEmpty()) {
      CasResult r = meta.compareAndSet(0, CHECK_KEY, 0, Aead.seal(key, CHECK_KEY, CHECK_PLAIN));
      if (r.applied()) {
        return;
      }
      cur = r.current();
    }
    try {
      unwrap(cur.orElseThrow().value(), CHECK_KEY);
    } catch (GridException e) {
      throw new GridException(
          GridException.Reason.WRONG_MASTER_KEY,
          "the master key does not match the one this grid was created with;"
              + " start every node with the same --master-key-file");
    }
  }
}
