package org.memos3.kv.object;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.memos3.grid.GridException;
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.Slice;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.manifest.ChunkTree;
import org.memos3.kv.manifest.Manifest;

/**
 * The bytes of one object version in a range, as a sequence of plaintext pieces. Walks the object's
 * manifest (or, for a multipart object, the part manifests overlapping the range) and fetches and
 * decrypts up to {@code window} chunks ahead on {@code io} (a range within one chunk is read on the
 * caller's thread); each chunk is checked against its address and its GCM tag (bound to its place
 * in the object) before a byte of it is returned. Single consumer; {@link #close()} cancels the
 * read-ahead.
 */
public final class ObjectContent implements AutoCloseable {
  private final BlockStore blocks;
  private final Executor io;
  private final ArrayPool arrays;
  private final long bucketId;
  private final long from;
  private final long to;
  private final int window;
  private final Function<Manifest.PartRef, Manifest> partOpener;
  private final CustomerKey customerKey; // the client's key (SSE-C), or null
  private final Deque<CompletableFuture<Piece>> ahead = new ArrayDeque<>();
  private final List<Manifest.PartRef> parts;
  private int nextPart;
  private long nextPartBase;
  private Layer layer;
  private boolean started;
  private Job held; // found while looking past the first chunk, not started yet

  /**
   * A piece of plaintext: {@code bytes[offset, offset+length)}. Its consumer calls {@link
   * #release()} once nothing reads {@code bytes} any more (a piece not released is collected).
   */
  public record Piece(byte[] bytes, int offset, int length, ArrayPool pool) {
    /** Gives {@code bytes} back to the pool it came from; the piece must not be read afterwards. */
    public void release() {
      if (pool != null) {
        pool.give(bytes);
      }
    }
  }

  /** One manifest with data (the object, or one part) placed at {@code base} in the object. */
  private final class Layer {
    final Manifest m;
    final long base;
    final ChunkTree.Cursor cursor;
    final byte[] chunkKey;
    boolean inlineDone;

    Layer(Manifest m, long base) {
      this.m = m;
      this.base = base;
      this.chunkKey = m.isInline() ? null : CustomerKey.chunkKeyOf(m, customerKey);
      long lo = Math.max(0, from - base);
      long hi = Math.min(m.size(), to - base);
      this.cursor =
          m.isInline()
              ? null
              : new ChunkTree.Cursor(
                  blocks,
                  m.dataKey(),
                  m.writeId(),
                  new ChunkTree.Root(m.depth(), m.refs()),
                  lo,
                  hi);
    }

    /** The next unit of work of this layer, or null when it is exhausted. */
    Job next() {
      if (m.isInline()) {
        if (inlineDone) {
          return null;
        }
        inlineDone = true;
        int lo = (int) Math.max(0, from - base);
        int hi = (int) Math.min(m.size(), to - base);
        Piece p = new Piece(m.inline(), lo, Math.max(0, hi - lo), null);
        return new Job(() -> p, true);
      }
      if (!cursor.hasNext()) {
        return null;
      }
      ChunkTree.Segment s = cursor.next();
      return new Job(() -> fetch(m, chunkKey, base, s), false);
    }
  }

  ObjectContent(
      BlockStore blocks,
      Executor io,
      ArrayPool arrays,
      Manifest m,
      long bucketId,
      long from,
      long to,
      int window,
      Function<Manifest.PartRef, Manifest> partOpener,
      CustomerKey customerKey) {
    this.customerKey = customerKey;
    this.blocks = blocks;
    this.io = io;
    this.arrays = arrays;
    this.bucketId = bucketId;
    this.from = from;
    this.to = to;
    this.window = window;
    this.partOpener = partOpener;
    this.parts = m.parts();
    this.layer = m.isMultipart() ? null : new Layer(m, 0);
  }

  /** A piece to produce: {@code ready} when it is already in memory (an inline body). */
  private record Job(Supplier<Piece> piece, boolean ready) {
    CompletableFuture<Piece> start(Executor io) {
      return ready
          ? CompletableFuture.completedFuture(piece.get())
          : CompletableFuture.supplyAsync(piece, io);
    }
  }

  private Job nextJob() {
    while (true) {
      if (layer != null) {
        Job f = layer.next();
        if (f != null) {
          return f;
        }
        layer = null;
      }
      // Advance to the next part that overlaps [from, to).
      while (nextPart < parts.size()) {
        Manifest.PartRef p = parts.get(nextPart++);
        long base = nextPartBase;
        nextPartBase += p.size();
        if (base >= to) {
          nextPart = parts.size();
          break;
        }
        if (base + p.size() > from && p.size() > 0) {
          layer = new Layer(partOpener.apply(p), base);
          break;
        }
      }
      if (layer == null) {
        return null;
      }
    }
  }

  /** The next piece, or null at the end of the range. Blocks on the grid. */
  public Piece next() {
    if (!started) {
      started = true;
      Job first = nextJob();
      if (first == null) {
        return null;
      }
      Job second = nextJob();
      if (second == null) {
        // A range within one chunk: read here rather than wake an I/O thread and wait for it.
        return first.piece().get();
      }
      ahead.add(first.start(io));
      held = second;
    }
    while (ahead.size() < window) {
      Job f = held != null ? held : nextJob();
      held = null;
      if (f == null) {
        break;
      }
      ahead.add(f.start(io));
    }
    CompletableFuture<Piece> f = ahead.poll();
    return f == null ? null : ChunkWriter.await(f);
  }

  /**
   * Reads and opens one chunk, into arrays of the pool. The AES-GCM tag (under the version's data
   * key, with the chunk's place as associated data) is the integrity check of the fast path; only
   * when it fails is the block read again with its address check, which names the damaged block (or
   * finds a good copy where the store keeps two).
   */
  private Piece fetch(Manifest m, byte[] chunkKey, long base, ChunkTree.Segment s) {
    byte[] aad =
        Manifest.chunkAad(m.writeId(), bucketId, m.partNumber(), s.objectOffset(), s.plainLength());
    byte[] plain = arrays.take(s.plainLength());
    int n;
    try {
      Slice sealed = blocks.readUnchecked(s.address(), arrays).orElseThrow(missing(s));
      try {
        n = Aead.open(chunkKey, aad, sealed.array(), sealed.length(), plain);
      } catch (GridException e) {
        if (e.reason() != GridException.Reason.CORRUPT_BLOCK) {
          throw e;
        }
        byte[] checked = blocks.get(s.address()).orElseThrow(missing(s));
        n = Aead.open(chunkKey, aad, checked, checked.length, plain);
      } finally {
        sealed.release();
      }
      if (n != s.plainLength()) {
        throw new GridException(GridException.Reason.CORRUPT_BLOCK, "chunk length mismatch");
      }
    } catch (RuntimeException e) {
      arrays.give(plain);
      throw e;
    }
    long chunkStart = base + s.objectOffset();
    long start = Math.max(from, chunkStart);
    long end = Math.min(to, chunkStart + n);
    return new Piece(plain, (int) (start - chunkStart), (int) (end - start), arrays);
  }

  private static java.util.function.Supplier<GridException> missing(ChunkTree.Segment s) {
    return () ->
        new GridException(
            GridException.Reason.MISSING_BLOCK, "chunk " + s.address() + " is missing");
  }

  @Override
  public void close() {
    for (CompletableFuture<Piece> f : ahead) {
      if (!f.cancel(false) && f.isDone() && !f.isCompletedExceptionally()) {
        f.join().release();
      }
    }
    ahead.clear();
  }
}
