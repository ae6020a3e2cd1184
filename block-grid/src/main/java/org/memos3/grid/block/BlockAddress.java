package org.memos3.grid.block;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.memos3.grid.crypto.Aead;

/**
 * The address of an immutable block: a type byte followed by a SHA-256 (33 bytes in all). Equal
 * addresses mean equal contents, and {@link #matches} checks stored bytes against their address
 * without any key.
 *
 * <p>Two forms, told apart by the type byte:
 *
 * <ul>
 *   <li>Manifests and index blocks: the SHA-256 of the block's exact stored bytes.
 *   <li>Chunks ({@link #SEALED} set in the type byte): the SHA-256 of a summary of the stored
 *       bytes: their length, their CRC32C, their first {@value Aead#HEADER} and last {@value
 *       Aead#TAG} bytes. A chunk is AES-GCM sealed, so those are its header with its random nonce
 *       and its authentication tag, which covers every ciphertext byte under the version's data
 *       key. The CRC32C catches accidental damage anywhere in the block without a key (a scrub, a
 *       read that looks for a good copy); a forged body that keeps the CRC still fails the tag on
 *       every read. Hashing 1 MiB with SHA-256 cost 0.59 core-s per GiB on the benchmark machine,
 *       the CRC32C 0.02 (DESIGN.md section 10).
 * </ul>
 *
 * <p>Chunk addresses written before the summary form (type byte without {@link #SEALED}) keep their
 * full SHA-256 check.
 */
public final class BlockAddress {
  public static final int LENGTH = 33;

  /** The type byte's flag for a chunk addressed by the summary of its sealed bytes. */
  static final int SEALED = 0x40;

  private static final byte[] SUMMARY_DOMAIN =
      "memo-s3 sealed block v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Cloned for each digest: a clone skips the provider lookup of {@code getInstance}. */
  private static final MessageDigest SHA256 = newSha256();

  private final byte[] bytes;

  private BlockAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The address of {@code stored} as a block of {@code type}. */
  public static BlockAddress of(BlockType type, byte[] stored) {
    byte[] out = new byte[LENGTH];
    boolean sealed = type == BlockType.CHUNK;
    out[0] = (byte) (sealed ? type.code() | SEALED : type.code());
    System.arraycopy(sealed ? summary(stored) : sha256(stored), 0, out, 1, 32);
    return new BlockAddress(out);
  }

  /** Parses an address from its 33 raw bytes, as written by {@link #bytes()}. */
  public static BlockAddress fromBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("block address must be " + LENGTH + " bytes");
    }
    BlockType t = typeOf(raw[0]);
    if ((raw[0] & SEALED) != 0 && t != BlockType.CHUNK) {
      throw new IllegalArgumentException("unknown block type " + raw[0]);
    }
    return new BlockAddress(raw.clone());
  }

  public static BlockAddress fromHex(String hex) {
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  public BlockType type() {
    return typeOf(bytes[0]);
  }

  private static BlockType typeOf(byte code) {
    return BlockType.fromCode((byte) (code & ~SEALED));
  }

  /** A copy of the 33 address bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** True when {@code stored} are the bytes this address was made from (see the class comment). */
  public boolean matches(byte[] stored) {
    byte[] h = (bytes[0] & SEALED) != 0 ? summary(stored) : sha256(stored);
    return MessageDigest.isEqual(h, Arrays.copyOfRange(bytes, 1, LENGTH));
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  /** The SHA-256 of the length, the CRC32C, the first and the last bytes of {@code stored}. */
  static byte[] summary(byte[] stored) {
    CRC32C crc = new CRC32C();
    crc.update(stored);
    MessageDigest d = sha256();
    d.update(SUMMARY_DOMAIN);
    d.update(ByteBuffer.allocate(12).putLong(stored.length).putInt((int) crc.getValue()).array());
    d.update(stored, 0, Math.min(Aead.HEADER, stored.length));
    int tail = Math.min(Aead.TAG, stored.length);
    d.update(stored, stored.length - tail, tail);
    return d.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
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
