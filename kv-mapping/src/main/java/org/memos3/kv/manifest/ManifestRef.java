package org.memos3.kv.manifest;

import java.util.Arrays;
import java.util.Optional;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.kv.Codec;

/**
 * Where a version's sealed manifest is: a block of its own ({@link Stored}), or carried inside the
 * record that refers to it ({@link Embedded}: a head, a noncurrent version or a GC entry). Small
 * manifests are embedded so that a small PUT commits one record, not a manifest block and then a
 * head; the sealed bytes are the same either way and open with {@link Manifest#open}.
 */
public sealed interface ManifestRef {

  /**
   * Sealed manifests up to this size are embedded: an inline body ({@code inlineLimit}, 4 KiB by
   * default) with its metadata, or the refs of a few chunks. Multipart manifests never are.
   */
  int EMBED_LIMIT = 8 * 1024;

  /**
   * At most this many chunk refs are embedded (objects up to 16 MiB with 1 MiB chunks): a larger
   * object gains little from one record less, and every listing decrypts its head.
   */
  int EMBED_REFS = 16;

  /** The sealed manifest; empty when its block is missing. */
  Optional<byte[]> sealed(BlockStore blocks);

  /** The manifest's own block, if it has one (it is then reachable and freed with the rest). */
  Optional<BlockAddress> block();

  /** The manifest block at {@code address}. */
  record Stored(BlockAddress address) implements ManifestRef {
    @Override
    public Optional<byte[]> sealed(BlockStore blocks) {
      return blocks.get(address);
    }

    @Override
    public Optional<BlockAddress> block() {
      return Optional.of(address);
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** A manifest carried inside the record that refers to it. */
  record Embedded(byte[] bytes) implements ManifestRef {
    @Override
    public Optional<byte[]> sealed(BlockStore blocks) {
      return Optional.of(bytes);
    }

    @Override
    public Optional<BlockAddress> block() {
      return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Embedded e && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "embedded manifest (" + bytes.length + " bytes)";
    }
  }

  /** True when {@code m}, sealed as {@code sealed}, goes inside the record that refers to it. */
  static boolean embeds(Manifest m, byte[] sealed) {
    return !m.isMultipart()
        && m.depth() == 0
        && m.refs().size() <= EMBED_REFS
        && sealed.length <= EMBED_LIMIT;
  }

  /**
   * Writes {@code ref} (null for none, as a delete marker has) into a record: kind byte 0, or 1 and
   * the address, or 2 and the sealed manifest.
   */
  static void write(Codec.Writer w, ManifestRef ref) {
    if (ref == null) {
      w.u8(0);
    } else if (ref instanceof Stored s) {
      w.u8(1).bytes(s.address().bytes());
    } else {
      w.u8(2).bytes(((Embedded) ref).bytes());
    }
  }

  /** Reads what {@link #write} wrote; null for none. */
  static ManifestRef read(Codec.Reader r) {
    int kind = r.u8();
    return switch (kind) {
      case 0 -> null;
      case 1 -> new Stored(BlockAddress.fromBytes(r.bytes()));
      case 2 -> new Embedded(r.bytes());
      default -> throw Codec.corrupt("manifest ref kind " + kind);
    };
  }
}
