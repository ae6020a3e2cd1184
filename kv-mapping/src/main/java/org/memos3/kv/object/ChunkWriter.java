package org.memos3.kv.object;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.manifest.ChunkRef;
import org.memos3.kv.manifest.ChunkTree;
import org.memos3.kv.manifest.Manifest;

/**
 * Cuts a body stream into chunks, seals each under the data key (bound to its place) and stores it,
 * with at most {@code window} chunk puts in flight: memory per write is about (window + 1) x chunk
 * size whatever the object size. Bodies of at most {@code inlineLimit} bytes stay inline. Runs on
 * the caller's thread; grid puts run on {@code io}, but for a body of one chunk, put right here.
 */
final class ChunkWriter {
  private final BlockStore blocks;
  private final Executor io;
  private final int chunkSize;
  private final int window;
  private final int inlineLimit;

  /**
   * Without a size hint, the first buffer of a body holds this much and one byte (EOF of a 64 KiB
   * body).
   */
  private static final int FIRST_BUFFER = 64 * 1024;

  /** What the body became: inline bytes, or the root of its chunk tree; and its size. */
  record Written(long size, byte[] inline, ChunkTree.Root root) {}

  ChunkWriter(BlockStore blocks, Executor io, int chunkSize, int window, int inlineLimit) {
    this.blocks = blocks;
    this.io = io;
    this.chunkSize = chunkSize;
    this.window = window;
    this.inlineLimit = inlineLimit;
  }

  /**
   * Writes {@code body}; {@code sizeHint} is its declared length (or -1), which sizes the first
   * buffer so that its end is seen in the first read.
   */
  Written write(
      InputStream body, long sizeHint, byte[] dataKey, byte[] writeId, long bucketId, int part)
      throws IOException {
    return write(body, sizeHint, dataKey, dataKey, true, writeId, bucketId, part);
  }

  /**
   * {@link #write(InputStream, long, byte[], byte[], long, int)} with the chunks sealed under
   * {@code chunkKey} and the index blocks under {@code dataKey} (the same key but for a client's
   * key, SSE-C), inline only when {@code inlineAllowed} (never for a client's key: an inline body
   * would be sealed under the bucket key alone).
   */
  Written write(
      InputStream body,
      long sizeHint,
      byte[] dataKey,
      byte[] chunkKey,
      boolean inlineAllowed,
      byte[] writeId,
      long bucketId,
      int part)
      throws IOException {
    ChunkTree.Builder tree = new ChunkTree.Builder(blocks, dataKey, writeId);
    Deque<CompletableFuture<ChunkRef>> inFlight = new ArrayDeque<>();
    // Small bodies never get a chunk-sized buffer: it starts one byte above the declared length
    // (else just above 64 KiB) and doubles while the body fills it. A 1 MiB array per small PUT
    // was 2/3 of the server's allocation and kept G1's concurrent marking busy, as arrays over half
    // a region go straight to the old gen; then a 64 KiB one per 4 KiB PUT was still 56% of it.
    long first = sizeHint >= 0 ? sizeHint : Math.max(inlineLimit, FIRST_BUFFER);
    byte[] buf = new byte[(int) Math.min(chunkSize, Math.max(first, 16) + 1)];
    long offset = 0;
    try {
      while (true) {
        int n = body.readNBytes(buf, 0, buf.length);
        while (n == buf.length && buf.length < chunkSize) {
          buf = Arrays.copyOf(buf, (int) Math.min(chunkSize, 2L * buf.length));
          n += body.readNBytes(buf, n, buf.length - n);
        }
        if (offset == 0 && n < chunkSize && n <= inlineLimit && inlineAllowed) {
          // Whole body fits inline; n < chunkSize means EOF was reached.
          return new Written(n, Arrays.copyOf(buf, n), null);
        }
        if (n == 0) {
          break;
        }
        byte[] sealed =
            Aead.seal(chunkKey, Manifest.chunkAad(writeId, bucketId, part, offset, n), buf, 0, n);
        if (offset == 0 && n < chunkSize) {
          // The whole body is one chunk: nothing to overlap its put with, so no hand-off to io.
          tree.add(new ChunkRef(blocks.put(BlockType.CHUNK, sealed), n));
          offset = n;
          break;
        }
        int len = n;
        inFlight.add(
            CompletableFuture.supplyAsync(
                () -> new ChunkRef(blocks.put(BlockType.CHUNK, sealed), len), io));
        offset += n;
        while (inFlight.size() >= window) {
          tree.add(await(inFlight.poll()));
        }
        if (n < chunkSize) {
          break;
        }
      }
      while (!inFlight.isEmpty()) {
        tree.add(await(inFlight.poll()));
      }
    } finally {
      for (CompletableFuture<ChunkRef> f : inFlight) {
        f.cancel(false);
      }
    }
    return new Written(offset, null, tree.finish());
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException(GridException.Reason.UNAVAILABLE, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new GridException(GridException.Reason.UNAVAILABLE, "chunk put failed", e.getCause());
    }
  }
}
