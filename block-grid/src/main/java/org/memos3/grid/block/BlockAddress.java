package org.memos3.grid.block;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The address of an immutable block: a type byte followed by the SHA-256 of the block's exact
 * stored bytes (33 bytes in all). Equal addresses mean equal contents.
 */
public final class BlockAddress {
  public static final int LENGTH = 33;

  private final byte[] bytes;

  private BlockAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The address of {@code stored} as a block of {@code type}. */
  public static BlockAddress of(BlockType type, byte[] stored) {
    byte[] out = new byte[LENGTH];
    out[0] = type.code();
    System.arraycopy(sha256(stored), 0, out, 1, 32);
    return new BlockAddress(out);
  }

  /** Parses an address from its 33 raw bytes, as written by {@link #bytes()}. */
  public static BlockAddress fromBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("block address must be " + LENGTH + " bytes");
    }
    BlockType.fromCode(raw[0]);
    return new BlockAddress(raw.clone());
  }

  public static BlockAddress fromHex(String hex) {
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  public BlockType type() {
    return BlockType.fromCode(bytes[0]);
  }

  /** A copy of the 33 address bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** True when {@code stored} hashes to this address. */
  public boolean matches(byte[] stored) {
    byte[] h = sha256(stored);
    return MessageDigest.isEqual(h, Arrays.copyOfRange(bytes, 1, LENGTH));
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
