package org.memos3.grid.block;

/** The kind of an immutable block; its code is the first byte of the block's address. */
public enum BlockType {
  CHUNK((byte) 1),
  MANIFEST((byte) 2),
  INDEX((byte) 3);

  private final byte code;

  BlockType(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }

  public static BlockType fromCode(byte code) {
    for (BlockType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown block type " + code);
  }
}
