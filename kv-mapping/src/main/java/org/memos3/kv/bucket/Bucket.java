package org.memos3.kv.bucket;

import java.util.Map;
import java.util.TreeMap;
import org.memos3.kv.Codec;

/**
 * A bucket record: a random id (so a deleted name can be reused without seeing old data), owner,
 * creation time, versioning state, the bucket key wrapped by the master key, the grants other users
 * hold on it and its public flag (anonymous GET, HEAD and listing). Grants live in the record so
 * that one read authorizes a request, every change is one CAS, and a deleted bucket takes its
 * grants with it.
 *
 * @param grants user name to permission, in name order; never contains the owner
 * @param publicRead whether anonymous requests may read objects and list the bucket
 */
public record Bucket(
    String name,
    long id,
    String owner,
    long createdMillis,
    Versioning versioning,
    byte[] wrappedKey,
    Map<String, Permission> grants,
    boolean publicRead) {

  /** Format 2 added grants and the public flag; format 1 records read as private, no grants. */
  static final int FORMAT = 2;

  static final int FORMAT_1 = 1;

  public Bucket {
    grants = java.util.Collections.unmodifiableMap(new TreeMap<>(grants));
  }

  /**
   * What {@code user} may do here: OWNER for the owner, else its grant, else nothing (null). The
   * root user and anonymous requests are the frontend's business.
   */
  public Permission permissionOf(String user) {
    if (owner.equals(user)) {
      return Permission.OWNER;
    }
    return user == null ? null : grants.get(user);
  }

  public Bucket withVersioning(Versioning state) {
    return new Bucket(name, id, owner, createdMillis, state, wrappedKey, grants, publicRead);
  }

  /** This bucket with {@code user} granted {@code p} ({@code null} removes the grant). */
  public Bucket withGrant(String user, Permission p) {
    Map<String, Permission> g = new TreeMap<>(grants);
    if (p == null) {
      g.remove(user);
    } else {
      g.put(user, p);
    }
    return new Bucket(name, id, owner, createdMillis, versioning, wrappedKey, g, publicRead);
  }

  /** This bucket with its key wrapped anew (master key rotation); grants and flags are kept. */
  public Bucket withWrappedKey(byte[] wrapped) {
    return new Bucket(name, id, owner, createdMillis, versioning, wrapped, grants, publicRead);
  }

  public Bucket withPublicRead(boolean on) {
    return new Bucket(name, id, owner, createdMillis, versioning, wrappedKey, grants, on);
  }

  byte[] encode() {
    Codec.Writer w =
        new Codec.Writer()
            .u8(FORMAT)
            .str(name)
            .i64(id)
            .str(owner)
            .i64(createdMillis)
            .u8(versioning.ordinal())
            .bytes(wrappedKey)
            .bool(publicRead)
            .i32(grants.size());
    grants.forEach((user, p) -> w.str(user).u8(p.ordinal()));
    return w.toBytes();
  }

  static Bucket decode(byte[] data) {
    Codec.Reader r = new Codec.Reader(data);
    int format = r.u8();
    if (format != FORMAT && format != FORMAT_1) {
      throw Codec.corrupt("bucket record format " + format);
    }
    String name = r.str();
    long id = r.i64();
    String owner = r.str();
    long created = r.i64();
    Versioning versioning = Versioning.values()[r.u8()];
    byte[] wrappedKey = r.bytes();
    if (format == FORMAT_1) {
      return new Bucket(name, id, owner, created, versioning, wrappedKey, Map.of(), false);
    }
    boolean publicRead = r.bool();
    int n = r.i32();
    if (n < 0 || n > data.length) {
      throw Codec.corrupt("bad grant count " + n);
    }
    Map<String, Permission> grants = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String user = r.str();
      int p = r.u8();
      if (p >= Permission.values().length) {
        throw Codec.corrupt("unknown permission " + p);
      }
      grants.put(user, Permission.values()[p]);
    }
    return new Bucket(name, id, owner, created, versioning, wrappedKey, grants, publicRead);
  }
}
