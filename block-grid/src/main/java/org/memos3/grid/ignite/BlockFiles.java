package org.memos3.grid.ignite;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.memos3.grid.GridException;
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.Slice;

/**
 * Chunk bodies as files in one directory of a node ({@code DIR/blocks}): a block is written once,
 * to a temporary file then linked under its address (which fails if the name exists), so a file
 * under an address name is always whole (a crash leaves at most a temporary file, removed at the
 * next open). {@code DIR/blocks/AB/ADDR}, {@code AB} being the first byte of the SHA-256: 256
 * directories. With {@code force}, the file and its directory are fsynced before the rename is
 * reported (the {@code fsync} WAL mode's promise); otherwise the bytes are in the OS like the
 * {@code log-only} WAL's.
 *
 * <p>Blocks of at least {@link #DIRECT_MIN} bytes (the chunks of large objects) are written and
 * read with direct I/O ({@code O_DIRECT}) where the file system allows it, through a small pool of
 * aligned buffers: they never pass through the page cache. Filling the page cache with every byte
 * of a large PUT cost 0.5-3.7 core-s per GiB on the benchmark machine (more as the cache grew into
 * memory not used before), direct writes 0.2-0.4 (DESIGN section 10, "Direct I/O for large
 * chunks"). Smaller blocks stay buffered: the page cache is the cache of small, hot objects.
 * Thread-safe.
 */
final class BlockFiles {
  private static final String TMP = "tmp";

  /**
   * Temporary files are spread over this many directories under {@code tmp}, by thread: creating
   * and unlinking a file holds its directory's lock while ext4 looks for a free inode, and with one
   * directory the writers of small chunks queued on that lock (4% of the server's CPU spinning in
   * {@code rwsem_spin_on_owner} under 64 KiB PUTs).
   */
  static final int TMP_DIRS = 16;

  private static final HexFormat HEX = HexFormat.of();

  private final Path root;
  private final Path tmp;
  private final boolean force;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong tmpSeq = new AtomicLong();

  /** Blocks of at least this many bytes use direct I/O (where {@link #align} is not 0). */
  static final int DIRECT_MIN = 128 * 1024;

  /**
   * Aligned buffers for direct I/O, at most this many: a reader or writer past it waits for one
   * (each holds it for one file operation), so the off-heap memory stays bounded under any load.
   */
  private static final int MAX_BUFFERS = 16;

  /**
   * Direct I/O alignment of the file system (its block size), 0 where direct I/O is unavailable.
   */
  private final int align;

  /** Padding for direct writes (at most one alignment unit, 64 KiB at most). */
  private static final byte[] ZEROS = new byte[64 * 1024];

  private final ArrayBlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(MAX_BUFFERS);
  private final AtomicInteger allocated = new AtomicInteger();

  private BlockFiles(Path root, boolean force, int align) {
    this.root = root;
    this.tmp = root.resolve(TMP);
    this.force = force;
    this.align = align;
  }

  /**
   * Opens (creating) the directory, removes temporary files left by a crash, counts the blocks.
   * {@code direct} false keeps every block in the page cache.
   */
  static BlockFiles open(Path root, boolean force, boolean direct) throws IOException {
    Path tmp = root.resolve(TMP);
    Files.createDirectories(tmp);
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
      for (Path p : s) {
        if (Files.isDirectory(p)) {
          try (DirectoryStream<Path> inner = Files.newDirectoryStream(p)) {
            for (Path q : inner) {
              Files.deleteIfExists(q);
            }
          }
        } else {
          Files.deleteIfExists(p); // written before temporary files were spread (2026-11-27)
        }
      }
    }
    for (int i = 0; i < TMP_DIRS; i++) {
      Files.createDirectories(tmp.resolve(Integer.toHexString(i)));
    }
    BlockFiles f = new BlockFiles(root, force, direct ? directAlignment(tmp) : 0);
    for (int i = 0; i < 256; i++) {
      Files.createDirectories(root.resolve(HEX.toHexDigits((byte) i)));
    }
    long[] n = {0, 0};
    f.forEach(
        a -> {
          n[0]++;
          try {
            n[1] += Files.size(f.path(a));
          } catch (IOException e) {
            // freed meanwhile
          }
        });
    f.count.set(n[0]);
    f.bytes.set(n[1]);
    return f;
  }

  /**
   * The file system's block size if a file in {@code dir} can be written and read with direct I/O
   * (tmpfs before Linux 6.6 and some FUSE and network file systems refuse it), else 0.
   */
  static int directAlignment(Path dir) {
    Path probe = dir.resolve("direct-probe");
    try {
      int bs = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
      if (bs <= 0 || bs > 64 * 1024 || Integer.bitCount(bs) != 1) {
        return 0;
      }
      ByteBuffer b = ByteBuffer.allocateDirect(2 * bs).alignedSlice(bs);
      try (FileChannel ch =
          FileChannel.open(
              probe,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ,
              ExtendedOpenOption.DIRECT)) {
        b.limit(bs);
        ch.write(b, 0);
        b.clear().limit(bs);
        ch.read(b, 0);
      }
      return bs;
    } catch (IOException | RuntimeException e) {
      return 0;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // removed at the next open with the other temporary files
      }
    }
  }

  /** True when blocks of {@link #DIRECT_MIN} bytes and more bypass the page cache. */
  boolean direct() {
    return align != 0;
  }

  private boolean directFor(long length) {
    return align != 0 && length >= DIRECT_MIN;
  }

  private int aligned(long length) {
    return Math.toIntExact((length + align - 1) / align * align);
  }

  /**
   * An aligned direct buffer of at least {@code length} bytes, cleared: a pooled one, a new one
   * while fewer than {@link #MAX_BUFFERS} exist, else the next one given back.
   */
  private ByteBuffer takeBuffer(int length) throws InterruptedIOException {
    ByteBuffer b = buffers.poll();
    if (b == null && allocated.incrementAndGet() > MAX_BUFFERS) {
      allocated.decrementAndGet();
      try {
        b = buffers.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a direct I/O buffer");
      }
    }
    if (b == null || b.capacity() < length) {
      // A buffer too small for this block (a larger chunk size) is replaced, not kept.
      b = ByteBuffer.allocateDirect(length + align).alignedSlice(align);
    }
    return b.clear();
  }

  private void giveBack(ByteBuffer b) {
    buffers.offer(b);
  }

  private Path path(BlockAddress a) {
    String hex = a.toHex();
    return root.resolve(hex.substring(2, 4)).resolve(hex);
  }

  /**
   * Bytes per write(2) of a block file. One 1 MiB write cost 2.5-3.8 core-s per GiB written on the
   * benchmark machine (Linux 6.18, ext4, a VM): the page cache takes large folios for a large
   * write, and filling fresh large folios was most of it; 64 KiB pieces cost 1.0-1.3 (DESIGN
   * section 10).
   */
  static final int WRITE_PIECE = 64 * 1024;

  /**
   * Stores {@code stored} under {@code a} unless a file is there; equal bytes already there are a
   * success, different ones {@code CORRUPT_BLOCK}.
   */
  void write(BlockAddress a, byte[] stored) {
    Path p = path(a);
    if (Files.exists(p)) {
      checkSame(a, stored);
      return;
    }
    long thread = Thread.currentThread().getId();
    Path t =
        tmp.resolve(Integer.toHexString((int) (thread % TMP_DIRS)))
            .resolve(thread + "-" + tmpSeq.incrementAndGet());
    try {
      if (directFor(stored.length)) {
        writeDirect(t, stored);
      } else {
        writeBuffered(t, stored);
      }
      try {
        // A hard link fails if the name exists (rename(2) would replace it): a concurrent
        // writer of the same address keeps its file, and the count moves once.
        Files.createLink(p, t);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(t);
        checkSame(a, stored);
        return;
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
        // A file system without hard links: rename (equal bytes if a racer got there first).
        Files.move(t, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      count.incrementAndGet();
      bytes.addAndGet(stored.length);
      Files.deleteIfExists(t);
      if (force) {
        fsyncDirectory(p.getParent());
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(t);
      } catch (IOException ignored) {
        // the next open removes it
      }
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot write block file " + p + ": " + e, e);
    }
  }

  private void writeBuffered(Path t, byte[] stored) throws IOException {
    try (FileChannel ch =
        FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int off = 0; off < stored.length; off += WRITE_PIECE) {
        ByteBuffer b = ByteBuffer.wrap(stored, off, Math.min(WRITE_PIECE, stored.length - off));
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      if (force) {
        ch.force(true);
      }
    }
  }

  /**
   * Writes the block padded with zeros to a whole number of file-system blocks (direct I/O moves
   * whole blocks only), then truncates the file to the block's length, all before the file gets its
   * name.
   */
  private void writeDirect(Path t, byte[] stored) throws IOException {
    int padded = aligned(stored.length);
    ByteBuffer b = takeBuffer(padded);
    try (FileChannel ch =
        FileChannel.open(
            t,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            ExtendedOpenOption.DIRECT)) {
      b.put(stored).put(ZEROS, 0, padded - stored.length).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (padded != stored.length) {
        ch.truncate(stored.length);
      }
      if (force) {
        ch.force(true);
      }
    } finally {
      giveBack(b);
    }
  }

  private void checkSame(BlockAddress a, byte[] stored) {
    byte[] prior = read(a);
    if (prior != null && !Arrays.equals(prior, stored)) {
      throw new GridException(GridException.Reason.CORRUPT_BLOCK, "different bytes stored at " + a);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The file's bytes (unchecked: the caller checks them against the address), or null. */
  byte[] read(BlockAddress a) {
    Slice s = read(a, null);
    return s == null ? null : s.array();
  }

  /**
   * The file's bytes, unchecked, or null. A file read with direct I/O lands in an array of {@code
   * pool} (when not null); otherwise the slice is an exact array of its own.
   */
  Slice read(BlockAddress a, ArrayPool pool) {
    Path p = path(a);
    try {
      long size;
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        size = ch.size();
        if (!directFor(size)) {
          ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size));
          while (b.hasRemaining() && ch.read(b) > 0) {
            // reading
          }
          return Slice.of(
              b.position() == size ? b.array() : Arrays.copyOf(b.array(), b.position()));
        }
      }
      return readDirect(p, size, pool);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot read block file of " + a + ": " + e, e);
    }
  }

  /**
   * The file's bytes read with direct I/O into an aligned buffer, then copied into an array of
   * {@code pool} (an exact new array without one).
   */
  private Slice readDirect(Path p, long size, ArrayPool pool) throws IOException {
    int padded = aligned(size);
    ByteBuffer b = takeBuffer(padded);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
      b.limit(padded);
      // Direct reads return whole blocks until the end of the file, where they return the rest.
      while (b.position() < size && b.position() % align == 0 && ch.read(b) > 0) {
        // reading
      }
      int n = b.position();
      byte[] out = pool == null ? new byte[n] : pool.take(n);
      b.flip().get(out, 0, n);
      return new Slice(out, n, pool);
    } finally {
      giveBack(b);
    }
  }

  boolean contains(BlockAddress a) {
    return Files.exists(path(a));
  }

  /** Removes the block's file; true when there was one. */
  boolean delete(BlockAddress a) {
    Path p = path(a);
    try {
      long size = Files.size(p);
      boolean gone = Files.deleteIfExists(p);
      if (gone) {
        count.decrementAndGet();
        bytes.addAndGet(-size);
      }
      return gone;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE, "cannot delete block file of " + a + ": " + e, e);
    }
  }

  /** Number of block files (counted at open, then kept up to date). */
  long count() {
    return count.get();
  }

  /** Bytes of the block files (summed at open, then kept up to date). */
  long bytes() {
    return bytes.get();
  }

  /** Visits the address of every block file; names that are not addresses are skipped. */
  void forEach(Consumer<BlockAddress> visitor) {
    for (int i = 0; i < 256; i++) {
      Path d = root.resolve(HEX.toHexDigits((byte) i));
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        for (Path p : s) {
          BlockAddress a = parse(p.getFileName().toString());
          if (a != null) {
            visitor.accept(a);
          }
        }
      } catch (NoSuchFileException e) {
        // not created yet
      } catch (IOException e) {
        throw new GridException(
            GridException.Reason.UNAVAILABLE, "cannot list block files in " + d + ": " + e, e);
      }
    }
  }

  private static BlockAddress parse(String name) {
    if (name.length() != 2 * BlockAddress.LENGTH) {
      return null;
    }
    try {
      return BlockAddress.fromHex(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Puts every block file under {@code to} (same layout), as a hard link where the file system
   * allows, else as a copy; files already there are kept. Block files never change, so a link is a
   * copy. Returns the number added.
   */
  int linkInto(Path to) {
    return linkTree(root, to);
  }

  /** As {@link #linkInto}, from a tree of this layout ({@code from}) into {@code to}. */
  static int linkTree(Path from, Path to) {
    int n = 0;
    for (int i = 0; i < 256; i++) {
      String ab = HEX.toHexDigits((byte) i);
      Path d = from.resolve(ab);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        Path out = Files.createDirectories(to.resolve(ab));
        for (Path p : s) {
          Path q = out.resolve(p.getFileName().toString());
          if (parse(p.getFileName().toString()) == null || Files.exists(q)) {
            continue;
          }
          try {
            Files.createLink(q, p);
          } catch (UnsupportedOperationException | IOException e) {
            try {
              Files.copy(p, q);
            } catch (NoSuchFileException gone) {
              continue; // freed meanwhile
            }
          }
          n++;
        }
      } catch (IOException e) {
        throw new GridException(
            GridException.Reason.UNAVAILABLE, "cannot copy block files of " + d + ": " + e, e);
      }
    }
    return n;
  }

  /** Fault injection for tests: replaces a block file's bytes without any check. */
  void overwrite(BlockAddress a, byte[] bytes) throws IOException {
    Files.write(path(a), bytes);
  }
}
