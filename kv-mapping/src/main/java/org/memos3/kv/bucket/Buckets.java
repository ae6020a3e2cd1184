package org.memos3.kv.bucket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.memos3.grid.Grid;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.kv.KvException;
import org.memos3.kv.list.RecordScan;

/**
 * Bucket records: create, look up, list and delete, each decided by a CAS on the bucket's record.
 * Also hands out the unwrapped bucket key (cached by bucket id: bucket keys never change, only
 * their wrapping does).
 */
public final class Buckets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Grid grid;
  private final RecordTable table;
  private final MasterKey master;
  private final Clock clock;
  private final Map<Long, byte[]> keys = new ConcurrentHashMap<>();

  public Buckets(Grid grid, MasterKey master, Clock clock) {
    this.grid = grid;
    this.table = grid.table(Table.BUCKETS);
    this.master = master;
    this.clock = clock;
  }

  private static byte[] nameKey(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** The bucket named {@code name}, if it exists. */
  public Optional<Bucket> find(String name) {
    return table.get(0, nameKey(name)).map(r -> Bucket.decode(r.value()));
  }

  /** The bucket named {@code name}, or {@code NO_SUCH_BUCKET}. */
  public Bucket require(String name) {
    return find(name)
        .orElseThrow(
            () -> new KvException(KvException.Reason.NO_SUCH_BUCKET, "no such bucket " + name));
  }

  /** Creates a bucket owned by {@code owner}; S3's errors when the name is taken or invalid. */
  public Bucket create(String name, String owner) {
    return create(name, owner, false);
  }

  /**
   * Creates a bucket owned by {@code owner}, public for anonymous reads when {@code publicRead};
   * S3's errors when the name is taken or invalid.
   */
  public Bucket create(String name, String owner, boolean publicRead) {
    return create(name, owner, publicRead, false);
  }

  /**
   * {@link #create(String, String, boolean)}, with Object Lock enabled when {@code objectLock}
   * (which turns versioning on, as S3 does: a locked version must outlive overwrites).
   */
  public Bucket create(String name, String owner, boolean publicRead, boolean objectLock) {
    if (!BucketNames.isValid(name)) {
      throw new KvException(KvException.Reason.INVALID_BUCKET_NAME, "invalid bucket name " + name);
    }
    long id;
    do {
      id = RANDOM.nextLong();
    } while (id == 0);
    byte[] bucketKey = Aead.newKey();
    Bucket b =
        new Bucket(
            name,
            id,
            owner,
            clock.millis(),
            Versioning.UNVERSIONED,
            master.wrap(bucketKey, keyContext(id)),
            java.util.Map.of(),
            publicRead);
    if (objectLock) {
      b = b.withVersioning(Versioning.ENABLED).withObjectLock(ObjectLockConfiguration.ENABLED);
    }
    CasResult r = table.compareAndSet(0, nameKey(name), 0, b.encode());
    if (!r.applied()) {
      Bucket existing = r.current().map(v -> Bucket.decode(v.value())).orElse(null);
      if (existing != null && existing.owner().equals(owner)) {
        throw new KvException(
            KvException.Reason.BUCKET_ALREADY_OWNED_BY_YOU, "bucket " + name + " is yours");
      }
      throw new KvException(KvException.Reason.BUCKET_ALREADY_EXISTS, "bucket " + name + " exists");
    }
    keys.put(id, bucketKey);
    return b;
  }

  /** All buckets in name order. */
  public List<Bucket> list() {
    List<Bucket> out = new ArrayList<>();
    RecordScan.forEach(table, 0, 1000, r -> out.add(Bucket.decode(r.value())));
    return out;
  }

  /**
   * Deletes an empty bucket: no object heads and no live multipart uploads ({@code
   * BUCKET_NOT_EMPTY} otherwise). Decided by a CAS on the record version read here.
   */
  public void delete(String name) {
    VersionedRecord rec =
        table
            .get(0, nameKey(name))
            .orElseThrow(
                () -> new KvException(KvException.Reason.NO_SUCH_BUCKET, "no such bucket " + name));
    Bucket b = Bucket.decode(rec.value());
    if (!grid.table(Table.HEADS).range(b.id(), new byte[0], null, 1).isEmpty()
        || !grid.table(Table.VERSIONS).range(b.id(), new byte[0], null, 1).isEmpty()
        || !grid.table(Table.UPLOADS).range(b.id(), new byte[0], null, 1).isEmpty()) {
      throw new KvException(KvException.Reason.BUCKET_NOT_EMPTY, "bucket " + name + " not empty");
    }
    if (!table.compareAndSet(0, nameKey(name), rec.version(), null).applied()) {
      throw new KvException(
          KvException.Reason.CONDITIONAL_REQUEST_CONFLICT, "bucket " + name + " changed");
    }
    keys.remove(b.id());
  }

  /**
   * Sets the versioning state (Enabled or Suspended; a bucket never goes back to unversioned), by
   * CAS on the bucket record.
   */
  public Bucket setVersioning(String name, Versioning state) {
    if (state == Versioning.UNVERSIONED) {
      throw new IllegalArgumentException("a bucket cannot become unversioned again");
    }
    return update(
        name,
        b -> {
          if (b.objectLock() != null && state != Versioning.ENABLED) {
            throw new KvException(
                KvException.Reason.INVALID_BUCKET_STATE,
                "An Object Lock configuration is present on this bucket, so the versioning state"
                    + " cannot be changed.");
          }
          return b.withVersioning(state);
        });
  }

  /**
   * Sets the bucket's Object Lock configuration, which enables Object Lock on a bucket without it
   * if its versioning is Enabled (S3 lets an existing bucket turn it on so since 2023); by CAS, so
   * a concurrent change of versioning cannot slip between the check and the change.
   */
  public Bucket setObjectLock(String name, ObjectLockConfiguration config) {
    return update(
        name,
        b -> {
          if (b.objectLock() == null && b.versioning() != Versioning.ENABLED) {
            throw new KvException(
                KvException.Reason.INVALID_BUCKET_STATE,
                "Versioning must be 'Enabled' on the bucket to apply a Object Lock"
                    + " configuration");
          }
          return b.withObjectLock(config);
        });
  }

  /**
   * Grants {@code user} the permission {@code p} on the bucket, replacing any earlier grant; {@code
   * p == null} removes the user's grant. The owner needs no grant (and gets none). By CAS on the
   * bucket record, so it takes effect on the next request on every node.
   */
  public Bucket grant(String name, String user, Permission p) {
    return update(name, b -> b.owner().equals(user) ? b : b.withGrant(user, p));
  }

  /** Turns anonymous read access (GET, HEAD, listing) on or off, by CAS on the bucket record. */
  public Bucket setPublicRead(String name, boolean on) {
    return update(name, b -> b.withPublicRead(on));
  }

  /** Replaces the bucket's tag set (empty removes it), by CAS on the bucket record. */
  public Bucket setTags(String name, Map<String, String> tags) {
    return update(name, b -> b.withTags(tags));
  }

  /** Replaces the bucket's CORS rules ({@code null} removes the configuration), by CAS. */
  public Bucket setCors(String name, List<CorsRule> rules) {
    return update(name, b -> b.withCors(rules));
  }

  /** Replaces the bucket's lifecycle rules ({@code null} removes the configuration), by CAS. */
  public Bucket setLifecycle(String name, List<org.memos3.kv.lifecycle.LifecycleRule> rules) {
    return update(name, b -> b.withLifecycle(rules));
  }

  /** Allows or blocks new objects written with a client's key (SSE-C), by CAS. */
  public Bucket setSseCustomerAllowed(String name, boolean allowed) {
    return update(name, b -> b.withSseCustomerAllowed(allowed));
  }

  /** Replaces the bucket's policy ({@code null} removes it), by CAS on the bucket record. */
  public Bucket setPolicy(String name, String json) {
    return update(name, b -> b.withPolicy(json));
  }

  /** Applies {@code change} to the current record by CAS, re-reading and retrying on a conflict. */
  private Bucket update(String name, java.util.function.UnaryOperator<Bucket> change) {
    while (true) {
      VersionedRecord rec =
          table
              .get(0, nameKey(name))
              .orElseThrow(
                  () ->
                      new KvException(KvException.Reason.NO_SUCH_BUCKET, "no such bucket " + name));
      Bucket next = change.apply(Bucket.decode(rec.value()));
      if (table.compareAndSet(0, nameKey(name), rec.version(), next.encode()).applied()) {
        return next;
      }
    }
  }

  /** The bucket's data-key-wrapping key, unwrapped with the master key. */
  public byte[] keyOf(Bucket b) {
    return keys.computeIfAbsent(b.id(), id -> master.unwrap(b.wrappedKey(), keyContext(id)));
  }

  /**
   * Rewraps every bucket key with {@code rotation} (which unwraps with the old or the new master
   * key and wraps with the new one), by CAS on each bucket record. Data is not touched. Returns the
   * number of buckets.
   */
  public int rewrapAll(MasterKey rotation) {
    int n = 0;
    for (Bucket listed : list()) {
      while (true) {
        Optional<VersionedRecord> rec = table.get(0, nameKey(listed.name()));
        if (rec.isEmpty()) {
          break;
        }
        Bucket b = Bucket.decode(rec.get().value());
        byte[] key = rotation.unwrap(b.wrappedKey(), keyContext(b.id()));
        Bucket next = b.withWrappedKey(rotation.wrap(key, keyContext(b.id())));
        if (table
            .compareAndSet(0, nameKey(b.name()), rec.get().version(), next.encode())
            .applied()) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Rewraps a bucket key carried outside its record (GC entries) for a master key rotation. */
  public static byte[] rewrap(MasterKey rotation, long bucketId, byte[] wrapped) {
    return rotation.wrap(rotation.unwrap(wrapped, keyContext(bucketId)), keyContext(bucketId));
  }

  /** Unwraps a bucket key carried outside its bucket record (GC entries of deleted buckets). */
  public byte[] unwrapKey(long bucketId, byte[] wrapped) {
    return keys.computeIfAbsent(bucketId, id -> master.unwrap(wrapped, keyContext(id)));
  }

  private static byte[] keyContext(long bucketId) {
    return Aead.aad("bucket-key", bucketId);
  }
}
