package org.memos3.kv.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.memos3.grid.Grid;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Permission;
import org.memos3.kv.list.RecordScan;

/**
 * Users and access keys: create, list and delete users; create, list, revoke and look up keys;
 * grant a user access to a bucket. Records live in the USERS table, group 0, under {@code u/NAME}
 * and {@code k/ACCESSKEYID}; every change is one CAS. Thread-safe; every method blocks on grid I/O.
 * The root user is not stored here (it comes from the node's settings) and its name is reserved.
 */
public final class Users {
  /** Names that can never be users: the root principal and the anonymous caller. */
  public static final Set<String> RESERVED = Set.of("root", "anonymous");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+=-]{0,63}");
  private static final String KEY_PREFIX = "MEMU";
  private static final String AK_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SK_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PAGE = 1000;

  private final RecordTable table;
  private final Buckets buckets;
  private final MasterKey master;
  private final Clock clock;

  public Users(Grid grid, Buckets buckets, MasterKey master, Clock clock) {
    this.table = grid.table(Table.USERS);
    this.buckets = buckets;
    this.master = master;
    this.clock = clock;
  }

  /** True for a name a user may have. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches() && !RESERVED.contains(name);
  }

  /** Creates a user; {@code USER_ALREADY_EXISTS} or {@code INVALID_USER_NAME} otherwise. */
  public User create(String name) {
    if (!isValidName(name)) {
      throw new KvException(
          KvException.Reason.INVALID_USER_NAME,
          "invalid user name "
              + name
              + ": 1 to 64 of A-Z a-z 0-9 . _ @ + = -, starting with a letter or digit, not "
              + String.join(" or ", RESERVED));
    }
    User u = new User(name, clock.millis(), randomHex(8));
    if (!table.compareAndSet(0, userKey(name), 0, u.encode()).applied()) {
      throw new KvException(
          KvException.Reason.USER_ALREADY_EXISTS, "user " + name + " already exists");
    }
    return u;
  }

  public Optional<User> find(String name) {
    return table.get(0, userKey(name)).map(r -> User.decode(r.value()));
  }

  /** The user named {@code name}, or {@code NO_SUCH_USER}. */
  public User require(String name) {
    return find(name)
        .orElseThrow(
            () -> new KvException(KvException.Reason.NO_SUCH_USER, "no such user " + name));
  }

  /** All users in name order. */
  public List<User> list() {
    List<User> out = new ArrayList<>();
    for (VersionedRecord r : scan("u/")) {
      out.add(User.decode(r.value()));
    }
    return out;
  }

  /**
   * Deletes a user: first its access keys (so they stop signing), then its grants on every bucket,
   * then the user record; an interrupted delete is finished by running it again. Refused with
   * {@code USER_OWNS_BUCKETS} while the user owns buckets (they would otherwise pass to a new user
   * of the same name).
   */
  public void delete(String name) {
    VersionedRecord rec =
        table
            .get(0, userKey(name))
            .orElseThrow(
                () -> new KvException(KvException.Reason.NO_SUCH_USER, "no such user " + name));
    List<Bucket> all = buckets.list();
    List<String> owned =
        all.stream().filter(b -> b.owner().equals(name)).map(Bucket::name).toList();
    if (!owned.isEmpty()) {
      throw new KvException(
          KvException.Reason.USER_OWNS_BUCKETS,
          "user " + name + " owns buckets " + String.join(", ", owned) + "; delete them first");
    }
    for (AccessKey k : keysOf(name)) {
      deleteKey(k.accessKeyId());
    }
    for (Bucket b : all) {
      if (b.grants().containsKey(name)) {
        try {
          buckets.grant(b.name(), name, null);
        } catch (KvException e) {
          if (e.reason() != KvException.Reason.NO_SUCH_BUCKET) {
            throw e;
          }
        }
      }
    }
    CasResult r = table.compareAndSet(0, userKey(name), rec.version(), null);
    if (!r.applied() && r.current().isPresent()) {
      throw new KvException(
          KvException.Reason.CONDITIONAL_REQUEST_CONFLICT, "user " + name + " changed; try again");
    }
  }

  /**
   * Creates an active access key for {@code user} and returns it with its secret: the only time the
   * secret is shown. The grid holds the secret sealed under the master key.
   */
  public UserKey createKey(String user) {
    require(user);
    while (true) {
      String id = KEY_PREFIX + random(AK_CHARS, 16);
      String secret = random(SK_CHARS, 40);
      AccessKey k =
          new AccessKey(
              id,
              user,
              KeyStatus.ACTIVE,
              clock.millis(),
              master.wrap(secret.getBytes(StandardCharsets.UTF_8), secretContext(id, user)));
      if (table.compareAndSet(0, accessKeyKey(id), 0, k.encode()).applied()) {
        return new UserKey(id, secret, user);
      }
      // A key id collision (about 2^-80): draw another.
    }
  }

  /** The keys of {@code user} (active and revoked) in id order; {@code NO_SUCH_USER} if none. */
  public List<AccessKey> keys(String user) {
    require(user);
    return keysOf(user);
  }

  /** The key record, whatever its status. */
  public Optional<AccessKey> findKey(String accessKeyId) {
    return table.get(0, accessKeyKey(accessKeyId)).map(r -> AccessKey.decode(r.value()));
  }

  /** Revokes a key (idempotent); {@code NO_SUCH_ACCESS_KEY} when it does not exist. */
  public AccessKey revoke(String accessKeyId) {
    while (true) {
      VersionedRecord rec =
          table
              .get(0, accessKeyKey(accessKeyId))
              .orElseThrow(
                  () ->
                      new KvException(
                          KvException.Reason.NO_SUCH_ACCESS_KEY,
                          "no such access key " + accessKeyId));
      AccessKey k = AccessKey.decode(rec.value());
      if (k.status() == KeyStatus.REVOKED) {
        return k;
      }
      AccessKey next = k.withStatus(KeyStatus.REVOKED);
      if (table
          .compareAndSet(0, accessKeyKey(accessKeyId), rec.version(), next.encode())
          .applied()) {
        return next;
      }
    }
  }

  /**
   * The key with its secret when it may sign requests: it exists, is active and its user exists.
   * Empty otherwise (the caller answers InvalidAccessKeyId).
   */
  public Optional<UserKey> findActive(String accessKeyId) {
    Optional<AccessKey> k = findKey(accessKeyId);
    if (k.isEmpty() || k.get().status() != KeyStatus.ACTIVE || find(k.get().user()).isEmpty()) {
      return Optional.empty();
    }
    AccessKey key = k.get();
    byte[] secret = master.unwrap(key.sealedSecret(), secretContext(key.accessKeyId(), key.user()));
    return Optional.of(
        new UserKey(key.accessKeyId(), new String(secret, StandardCharsets.UTF_8), key.user()));
  }

  /**
   * Grants {@code user} (which must exist) the permission {@code p} on bucket {@code bucket}; the
   * bucket's owner keeps OWNER whatever is granted.
   */
  public Bucket allow(String bucket, String user, Permission p) {
    require(user);
    return buckets.grant(bucket, user, p);
  }

  /** Removes {@code user}'s grant on {@code bucket} (no-op when it has none). */
  public Bucket deny(String bucket, String user) {
    return buckets.grant(bucket, user, null);
  }

  /**
   * Rewraps every access key's sealed secret with {@code rotation} (which unwraps with the old or
   * the new master key and wraps with the new one), by CAS on each key record, for a master key
   * rotation. Safe to rerun. Returns the number of keys.
   */
  public int rewrapSecrets(MasterKey rotation) {
    int n = 0;
    for (VersionedRecord listed : scan("k/")) {
      while (true) {
        Optional<VersionedRecord> rec = table.get(0, listed.key());
        if (rec.isEmpty()) {
          break;
        }
        AccessKey k = AccessKey.decode(rec.get().value());
        byte[] ctx = secretContext(k.accessKeyId(), k.user());
        AccessKey next =
            k.withSealedSecret(rotation.wrap(rotation.unwrap(k.sealedSecret(), ctx), ctx));
        if (table.compareAndSet(0, listed.key(), rec.get().version(), next.encode()).applied()) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  private List<AccessKey> keysOf(String user) {
    List<AccessKey> out = new ArrayList<>();
    for (VersionedRecord r : scan("k/")) {
      AccessKey k = AccessKey.decode(r.value());
      if (k.user().equals(user)) {
        out.add(k);
      }
    }
    return out;
  }

  private void deleteKey(String accessKeyId) {
    while (true) {
      Optional<VersionedRecord> rec = table.get(0, accessKeyKey(accessKeyId));
      if (rec.isEmpty()
          || table
              .compareAndSet(0, accessKeyKey(accessKeyId), rec.get().version(), null)
              .applied()) {
        return;
      }
    }
  }

  /** Every record whose key starts with {@code prefix} (an ASCII letter and a slash). */
  private List<VersionedRecord> scan(String prefix) {
    byte[] from = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] to = from.clone();
    to[to.length - 1]++;
    List<VersionedRecord> out = new ArrayList<>();
    RecordScan.forEach(table, 0, from, to, PAGE, out::add);
    return out;
  }

  private static byte[] userKey(String name) {
    return ("u/" + name).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] accessKeyKey(String id) {
    return ("k/" + id).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] secretContext(String accessKeyId, String user) {
    return Aead.aad(
        "access-key-secret", (accessKeyId + "\0" + user).getBytes(StandardCharsets.UTF_8));
  }

  private static String random(String chars, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(RANDOM.nextInt(chars.length())));
    }
    return b.toString();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
