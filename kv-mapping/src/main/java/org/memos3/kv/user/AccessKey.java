package org.memos3.kv.user;

import org.memos3.kv.Codec;

/**
 * An access key record as stored: its id, its user, status, creation time and the secret sealed
 * under the master key (bound to the key id and the user, so it cannot be moved to another key or
 * user). The plaintext secret never reaches the grid.
 */
public record AccessKey(
    String accessKeyId, String user, KeyStatus status, long createdMillis, byte[] sealedSecret) {
  static final int FORMAT = 1;

  AccessKey withStatus(KeyStatus s) {
    return new AccessKey(accessKeyId, user, s, createdMillis, sealedSecret);
  }

  AccessKey withSealedSecret(byte[] sealed) {
    return new AccessKey(accessKeyId, user, status, createdMillis, sealed);
  }

  byte[] encode() {
    return new Codec.Writer()
        .u8(FORMAT)
        .str(accessKeyId)
        .str(user)
        .u8(status.ordinal())
        .i64(createdMillis)
        .bytes(sealedSecret)
        .toBytes();
  }

  static AccessKey decode(byte[] data) {
    Codec.Reader r = new Codec.Reader(data);
    int format = r.u8();
    if (format != FORMAT) {
      throw Codec.corrupt("access key record format " + format);
    }
    String id = r.str();
    String user = r.str();
    int status = r.u8();
    if (status >= KeyStatus.values().length) {
      throw Codec.corrupt("unknown key status " + status);
    }
    return new AccessKey(id, user, KeyStatus.values()[status], r.i64(), r.bytes());
  }

  @Override
  public String toString() {
    return "AccessKey[accessKeyId=" + accessKeyId + ", user=" + user + ", status=" + status + "]";
  }
}
