package org.memos3.frontend;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.memos3.auth.sigv4.Credential;
import org.memos3.auth.sigv4.CredentialLookup;
import org.memos3.kv.user.Users;

/**
 * The access keys a node accepts: the root key from its settings, then the active keys of the users
 * in the grid. Grid answers (found or not) are cached for {@code ttl}, so a signature check costs
 * no grid read most of the time and a revoked or deleted key stops working on every node within
 * {@code ttl}. Thread-safe.
 */
final class UserCredentials implements CredentialLookup {
  /** Past this many cached key ids the cache starts over (a flood of made-up key ids). */
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Optional<Credential> credential, long expiresNanos) {}

  private final Credential root;
  private final Users users;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  UserCredentials(Credential root, Users users, Duration ttl, LongSupplier nanoTime) {
    this.root = root;
    this.users = users;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** May read the grid (at most once per key id and {@code ttl}); grid failures propagate. */
  @Override
  public Optional<Credential> find(String accessKeyId) {
    if (accessKeyId.equals(root.accessKeyId())) {
      return Optional.of(root);
    }
    long now = nanoTime.getAsLong();
    Entry e = cache.get(accessKeyId);
    if (e != null && now - e.expiresNanos() < 0) {
      return e.credential();
    }
    Optional<Credential> c =
        users
            .findActive(accessKeyId)
            .map(k -> new Credential(k.accessKeyId(), k.secretAccessKey(), k.user()));
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(accessKeyId, new Entry(c, now + ttlNanos));
    return c;
  }
}
