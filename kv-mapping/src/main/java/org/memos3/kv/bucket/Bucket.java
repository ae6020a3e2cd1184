package org.memos3.kv.bucket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memos3.kv.Codec;
import org.memos3.kv.lifecycle.LifecycleRule;

/**
 * A bucket record: a random id (so a deleted name can be reused without seeing old data), owner,
 * creation time, versioning state, the bucket key wrapped by the master key, the grants other users
 * hold on it and its public flag (anonymous GET, HEAD and listing). Grants live in the record so
 * that one read authorizes a request, every change is one CAS, and a deleted bucket takes its
 * grants with it. Its tag set, CORS rules and lifecycle rules live here too (format 3).
 *
 * @param grants user name to permission, in name order; never contains the owner
 * @param publicRead whether anonymous requests may read objects and list the bucket
 * @param tags the bucket's tag set (PutBucketTagging), in the order given
 * @param cors the CORS rules, or null when the bucket has no CORS configuration
 * @param lifecycle the lifecycle rules, or null when the bucket has no lifecycle configuration
 * @param policy the bucket policy (JSON, as PutBucketPolicy gave it), or null when it has none
 * @param objectLock the Object Lock configuration, or null when Object Lock is not enabled
 * @param sseCustomerAllowed whether new objects may be written with a client's key (SSE-C); off by
 *     default, as on S3 since 2026 (SSE-C re-encryption is a ransomware technique)
 */
public record Bucket(
    String name,
    long id,
    String owner,
    long createdMillis,
    Versioning versioning,
    byte[] wrappedKey,
    Map<String, Permission> grants,
    boolean publicRead,
    Map<String, String> tags,
    List<CorsRule> cors,
    List<LifecycleRule> lifecycle,
    String policy,
    ObjectLockConfiguration objectLock,
    boolean sseCustomerAllowed) {

  /**
   * Format 5 is format 4 (its policy possibly null) and an Object Lock configuration, written only
   * for a bucket with Object Lock enabled. Format 4 is format 3 and a bucket policy, written only
   * for a bucket that has one (so that a bucket without a policy keeps a record every earlier build
   * reads). Format 3 added the tag set, CORS and lifecycle rules (format 2 records read without
   * them); format 2 added grants and the public flag; format 1 records read as private, no grants.
   */
  static final int FORMAT = 3;

  static final int FORMAT_4 = 4;

  static final int FORMAT_5 = 5;

  /**
   * Format 5 (its lock possibly absent) and the SSE-C flag, only for a bucket that allows SSE-C.
   */
  static final int FORMAT_6 = 6;

  static final int FORMAT_2 = 2;

  static final int FORMAT_1 = 1;

  public Bucket {
    grants = java.util.Collections.unmodifiableMap(new TreeMap<>(grants));
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    cors = cors == null ? null : List.copyOf(cors);
    lifecycle = lifecycle == null ? null : List.copyOf(lifecycle);
  }

  /** A bucket without tags, CORS or lifecycle configuration. */
  public Bucket(
      String name,
      long id,
      String owner,
      long createdMillis,
      Versioning versioning,
      byte[] wrappedKey,
      Map<String, Permission> grants,
      boolean publicRead) {
    this(
        name,
        id,
        owner,
        createdMillis,
        versioning,
        wrappedKey,
        grants,
        publicRead,
        Map.of(),
        null,
        null,
        null,
        null,
        false);
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
    return with(f -> f.versioning = state);
  }

  /** This bucket with {@code user} granted {@code p} ({@code null} removes the grant). */
  public Bucket withGrant(String user, Permission p) {
    Map<String, Permission> g = new TreeMap<>(grants);
    if (p == null) {
      g.remove(user);
    } else {
      g.put(user, p);
    }
    return with(f -> f.grants = g);
  }

  /** This bucket with its key wrapped anew (master key rotation); grants and flags are kept. */
  public Bucket withWrappedKey(byte[] wrapped) {
    return with(f -> f.wrappedKey = wrapped);
  }

  public Bucket withPublicRead(boolean on) {
    return with(f -> f.publicRead = on);
  }

  /** This bucket with the tag set {@code t} (empty: no tags). */
  public Bucket withTags(Map<String, String> t) {
    return with(f -> f.tags = t);
  }

  /** This bucket with the CORS rules {@code rules} (null: no CORS configuration). */
  public Bucket withCors(List<CorsRule> rules) {
    return with(f -> f.cors = rules);
  }

  /** This bucket with the lifecycle rules {@code rules} (null: no lifecycle configuration). */
  public Bucket withLifecycle(List<LifecycleRule> rules) {
    return with(f -> f.lifecycle = rules);
  }

  /** This bucket with the policy {@code json} (null: no policy). */
  public Bucket withPolicy(String json) {
    return with(f -> f.policy = json);
  }

  /** This bucket with Object Lock configured as {@code config} (never null: S3 has no way back). */
  public Bucket withObjectLock(ObjectLockConfiguration config) {
    return with(f -> f.objectLock = java.util.Objects.requireNonNull(config));
  }

  /** This bucket allowing (or not) new objects written with a client's key (SSE-C). */
  public Bucket withSseCustomerAllowed(boolean allowed) {
    return with(f -> f.sseCustomerAllowed = allowed);
  }

  /** This bucket with what {@code change} sets in a copy of its fields; name, id, owner kept. */
  private Bucket with(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new Bucket(
        name,
        id,
        owner,
        createdMillis,
        f.versioning,
        f.wrappedKey,
        f.grants,
        f.publicRead,
        f.tags,
        f.cors,
        f.lifecycle,
        f.policy,
        f.objectLock,
        f.sseCustomerAllowed);
  }

  /** The fields a {@code with} method may change. */
  private static final class Fields {
    Versioning versioning;
    byte[] wrappedKey;
    Map<String, Permission> grants;
    boolean publicRead;
    Map<String, String> tags;
    List<CorsRule> cors;
    List<LifecycleRule> lifecycle;
    String policy;
    ObjectLockConfiguration objectLock;
    boolean sseCustomerAllowed;

    Fields(Bucket b) {
      versioning = b.versioning;
      wrappedKey = b.wrappedKey;
      grants = b.grants;
      publicRead = b.publicRead;
      tags = b.tags;
      cors = b.cors;
      lifecycle = b.lifecycle;
      policy = b.policy;
      objectLock = b.objectLock;
      sseCustomerAllowed = b.sseCustomerAllowed;
    }
  }

  byte[] encode() {
    Codec.Writer w =
        new Codec.Writer()
            .u8(
                sseCustomerAllowed
                    ? FORMAT_6
                    : objectLock != null ? FORMAT_5 : policy == null ? FORMAT : FORMAT_4)
            .str(name)
            .i64(id)
            .str(owner)
            .i64(createdMillis)
            .u8(versioning.ordinal())
            .bytes(wrappedKey)
            .bool(publicRead)
            .i32(grants.size());
    grants.forEach((user, p) -> w.str(user).u8(p.ordinal()));
    w.map(tags);
    w.i32(cors == null ? -1 : cors.size());
    if (cors != null) {
      cors.forEach(r -> CorsRule.write(w, r));
    }
    w.i32(lifecycle == null ? -1 : lifecycle.size());
    if (lifecycle != null) {
      lifecycle.forEach(r -> LifecycleRule.write(w, r));
    }
    if (sseCustomerAllowed) {
      w.str(policy);
      w.bool(objectLock != null);
      if (objectLock != null) {
        objectLock.write(w);
      }
      w.bool(true);
    } else if (objectLock != null) {
      w.str(policy);
      objectLock.write(w);
    } else if (policy != null) {
      w.str(policy);
    }
    return w.toBytes();
  }

  static Bucket decode(byte[] data) {
    Codec.Reader r = new Codec.Reader(data);
    int format = r.u8();
    if (format < FORMAT_1 || format > FORMAT_6) {
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
    if (format == FORMAT_2) {
      return new Bucket(name, id, owner, created, versioning, wrappedKey, grants, publicRead);
    }
    Map<String, String> tags = r.map();
    List<CorsRule> cors = null;
    int nc = r.i32();
    if (nc < -1 || nc > data.length) {
      throw Codec.corrupt("bad CORS rule count " + nc);
    }
    if (nc >= 0) {
      cors = new ArrayList<>(nc);
      for (int i = 0; i < nc; i++) {
        cors.add(CorsRule.read(r, data.length));
      }
    }
    List<LifecycleRule> lifecycle = null;
    int nl = r.i32();
    if (nl < -1 || nl > data.length) {
      throw Codec.corrupt("bad lifecycle rule count " + nl);
    }
    if (nl >= 0) {
      lifecycle = new ArrayList<>(nl);
      for (int i = 0; i < nl; i++) {
        lifecycle.add(LifecycleRule.read(r));
      }
    }
    return new Bucket(
        name,
        id,
        owner,
        created,
        versioning,
        wrappedKey,
        grants,
        publicRead,
        tags,
        cors,
        lifecycle,
        format >= FORMAT_4 ? r.str() : null,
        format == FORMAT_5 || format == FORMAT_6 && r.bool()
            ? ObjectLockConfiguration.read(r)
            : null,
        format == FORMAT_6 && r.bool());
  }
}
