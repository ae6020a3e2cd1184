package org.memos3.kv.manifest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/**
 * The tree of chunk refs of one object version. Leaves are data chunks; inner nodes are sealed
 * index blocks of at most {@link Manifest#FANOUT} refs. The builder keeps one partial node per
 * level (so memory is O(FANOUT x depth) whatever the object size); the cursor walks only the
 * subtrees that overlap a byte range.
 */
public final class ChunkTree {
  private ChunkTree() {}

  private static byte[] indexAad(byte[] writeId, int level, long offset) {
    return Aead.aad("index", writeId, level, offset);
  }

  /** Root of a built tree: its depth and the refs held in the manifest. */
  public record Root(int depth, List<ChunkRef> refs) {}

  /** Accumulates chunk refs in order and seals index blocks as levels fill. Not thread-safe. */
  public static final class Builder {
    private final BlockStore blocks;
    private final byte[] dataKey;
    private final byte[] writeId;
    private final List<List<ChunkRef>> levels = new ArrayList<>();
    private final List<Long> levelStart = new ArrayList<>();
    private long offset;

    public Builder(BlockStore blocks, byte[] dataKey, byte[] writeId) {
      this.blocks = blocks;
      this.dataKey = dataKey;
      this.writeId = writeId;
    }

    /** Appends the next chunk (in object order). */
    public void add(ChunkRef chunk) {
      push(0, chunk, offset);
      offset += chunk.plainLength();
    }

    private void push(int level, ChunkRef ref, long refOffset) {
      while (levels.size() <= level) {
        levels.add(new ArrayList<>());
        levelStart.add(refOffset);
      }
      List<ChunkRef> node = levels.get(level);
      if (node.isEmpty()) {
        levelStart.set(level, refOffset);
      }
      node.add(ref);
      if (node.size() == Manifest.FANOUT) {
        flush(level);
      }
    }

    private void flush(int level) {
      List<ChunkRef> node = levels.get(level);
      long start = levelStart.get(level);
      long covered = 0;
      for (ChunkRef r : node) {
        covered += r.plainLength();
      }
      Codec.Writer w = new Codec.Writer().u8(Manifest.FORMAT);
      Manifest.writeRefs(w, node);
      byte[] sealed = Aead.seal(dataKey, indexAad(writeId, level + 1, start), w.toBytes());
      BlockAddress a = blocks.put(BlockType.INDEX, sealed);
      node.clear();
      push(level + 1, new ChunkRef(a, covered), start);
    }

    /**
     * Finishes the tree: the root holds at most FANOUT refs. Depth 0 means the refs are the chunks
     * themselves.
     */
    public Root finish() {
      if (levels.isEmpty()) {
        return new Root(0, List.of());
      }
      // Flush partial lower levels upward until one level holds everything.
      for (int level = 0; level < levels.size() - 1; level++) {
        if (!levels.get(level).isEmpty()) {
          flush(level);
        }
      }
      int top = levels.size() - 1;
      while (levels.get(top).size() > Manifest.FANOUT) {
        flush(top);
        top = levels.size() - 1;
      }
      return new Root(top, List.copyOf(levels.get(top)));
    }
  }

  /** Receives the blocks of a tree in post-order: children before the index block above them. */
  @FunctionalInterface
  public interface BlockVisitor {
    void visit(BlockAddress address, long plainLength, boolean indexBlock);
  }

  /**
   * Visits every block of the tree, children before their index block, so that deleting in visit
   * order never leaves an index block pointing at nothing while its children remain. An index block
   * that is already missing is skipped (its children, if any remain, are left to the sweep).
   */
  public static void walk(
      BlockStore blocks, byte[] dataKey, byte[] writeId, Root root, BlockVisitor visitor) {
    walk(blocks, dataKey, writeId, root.depth(), root.refs(), 0, visitor);
  }

  private static void walk(
      BlockStore blocks,
      byte[] dataKey,
      byte[] writeId,
      int level,
      List<ChunkRef> refs,
      long offset,
      BlockVisitor visitor) {
    long at = offset;
    for (ChunkRef ref : refs) {
      if (level > 0) {
        var sealed = blocks.get(ref.address());
        if (sealed.isPresent()) {
          Codec.Reader r =
              new Codec.Reader(Aead.open(dataKey, indexAad(writeId, level, at), sealed.get()));
          if (r.u8() != Manifest.FORMAT) {
            throw Codec.corrupt("index format");
          }
          walk(blocks, dataKey, writeId, level - 1, Manifest.readRefs(r), at, visitor);
        }
        visitor.visit(ref.address(), 0, true);
      } else {
        visitor.visit(ref.address(), ref.plainLength(), false);
      }
      at += ref.plainLength();
    }
  }

  /** One data chunk to read: where it is and which bytes of the object it holds. */
  public record Segment(BlockAddress address, long objectOffset, int plainLength) {}

  /**
   * Lazily yields the chunks overlapping {@code [from, toExclusive)} in order, reading index blocks
   * only for overlapping subtrees. Blocking (index reads hit the grid).
   */
  public static final class Cursor {
    private final BlockStore blocks;
    private final byte[] dataKey;
    private final byte[] writeId;
    private final long from;
    private final long to;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private Segment next;

    private record Frame(int level, List<ChunkRef> refs, long offset, int index) {}

    public Cursor(
        BlockStore blocks, byte[] dataKey, byte[] writeId, Root root, long from, long toExclusive) {
      this.blocks = blocks;
      this.dataKey = dataKey;
      this.writeId = writeId;
      this.from = from;
      this.to = toExclusive;
      stack.push(new Frame(root.depth(), root.refs(), 0, 0));
    }

    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    public Segment next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Segment s = next;
      next = null;
      return s;
    }

    private Segment advance() {
      while (!stack.isEmpty()) {
        Frame f = stack.pop();
        if (f.index >= f.refs.size()) {
          continue;
        }
        ChunkRef ref = f.refs.get(f.index);
        long start = f.offset;
        long end = start + ref.plainLength();
        stack.push(new Frame(f.level, f.refs, end, f.index + 1));
        if (end <= from || start >= to) {
          if (start >= to) {
            stack.clear();
          }
          continue;
        }
        if (f.level == 0) {
          return new Segment(ref.address(), start, (int) ref.plainLength());
        }
        byte[] sealed =
            blocks
                .get(ref.address())
                .orElseThrow(
                    () ->
                        new GridException(
                            GridException.Reason.MISSING_BLOCK,
                            "index block " + ref.address() + " is missing"));
        Codec.Reader r =
            new Codec.Reader(Aead.open(dataKey, indexAad(writeId, f.level, start), sealed));
        if (r.u8() != Manifest.FORMAT) {
          throw Codec.corrupt("index format");
        }
        stack.push(new Frame(f.level - 1, Manifest.readRefs(r), start, 0));
      }
      return null;
    }
  }
}
