package org.memos3.kv.user;

import org.memos3.kv.Codec;

/**
 * A user record: its name (the principal its keys sign as and the owner of the buckets it creates),
 * creation time and the random id of the write that created it (so a retried create recognises its
 * own record).
 */
public record User(String name, long createdMillis, String writeId) {
  static final int FORMAT = 1;

  byte[] encode() {
    return new Codec.Writer().u8(FORMAT).str(name).i64(createdMillis).str(writeId).toBytes();
  }

  static User decode(byte[] data) {
    Codec.Reader r = new Codec.Reader(data);
    int format = r.u8();
    if (format != FORMAT) {
      throw Codec.corrupt("user record format " + format);
    }
    return new User(r.str(), r.i64(), r.str());
  }
}
