package org.memos3.kv.object;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.manifest.ChunkTree;
import org.memos3.kv.manifest.Manifest;

/**
 * The bytes of one object version in a range, as a sequence of plaintext pieces. Fetches and
 * decrypts up to {@code window} chunks ahead on {@code io}; each chunk is checked against its
 * address and its GCM tag (bound to its place in the object) before a byte of it is returned.
 * Single consumer; {@link #close()} cancels the read-ahead.
 */
public final class ObjectContent implements AutoCloseable {
  private final byte[] inline;
  private final ChunkTree.Cursor cursor;
  private final BlockStore blocks;
  private final Executor io;
  private final Manifest manifest;
  private final long bucketId;
  private final long from;
  private final long to;
  private final int window;
  private final Deque<CompletableFuture<Piece>> ahead = new ArrayDeque<>();
  private boolean inlineDone;

  /** A piece of plaintext: {@code bytes[offset, offset+length)}. */
  public record Piece(byte[] bytes, int offset, int length) {}

  ObjectContent(
      BlockStore blocks, Executor io, Manifest m, long bucketId, long from, long to, int window) {
    this.blocks = blocks;
    this.io = io;
    this.manifest = m;
    this.bucketId = bucketId;
    this.from = from;
    this.to = to;
    this.window = window;
    this.inline = m.inline();
    this.cursor =
        m.isInline()
            ? null
            : new ChunkTree.Cursor(
                blocks,
                m.dataKey(),
                m.writeId(),
                new ChunkTree.Root(m.depth(), m.refs()),
                from,
                to);
  }

  /** The next piece, or null at the end of the range. Blocks on the grid. */
  public Piece next() {
    if (inline != null) {
      if (inlineDone || from >= to) {
        return null;
      }
      inlineDone = true;
      return new Piece(inline, (int) from, (int) (to - from));
    }
    while (ahead.size() < window && cursor.hasNext()) {
      ChunkTree.Segment s = cursor.next();
      ahead.add(CompletableFuture.supplyAsync(() -> fetch(s), io));
    }
    CompletableFuture<Piece> f = ahead.poll();
    return f == null ? null : ChunkWriter.await(f);
  }

  private Piece fetch(ChunkTree.Segment s) {
    byte[] sealed =
        blocks
            .get(s.address())
            .orElseThrow(
                () ->
                    new GridException(
                        GridException.Reason.MISSING_BLOCK,
                        "chunk " + s.address() + " is missing"));
    byte[] plain =
        Aead.open(
            manifest.dataKey(),
            Manifest.chunkAad(manifest.writeId(), bucketId, 0, s.objectOffset(), s.plainLength()),
            sealed);
    if (plain.length != s.plainLength()) {
      throw new GridException(GridException.Reason.CORRUPT_BLOCK, "chunk length mismatch");
    }
    long start = Math.max(from, s.objectOffset());
    long end = Math.min(to, s.objectOffset() + plain.length);
    return new Piece(plain, (int) (start - s.objectOffset()), (int) (end - start));
  }

  @Override
  public void close() {
    for (CompletableFuture<Piece> f : ahead) {
      f.cancel(false);
    }
    ahead.clear();
  }
}
