package org.memos3.kv.lifecycle;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.multipart.Upload;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectStore;

/**
 * Carries out the buckets' lifecycle rules, as S3 does once a day:
 *
 * <ul>
 *   <li>Expiration (Days or Date): the current version of a selected key expires: deleted in an
 *       unversioned bucket, hidden behind a new delete marker in a versioned (or suspended) one.
 *       Days count from the version's Last-Modified, rounded up to the next midnight UTC.
 *   <li>ExpiredObjectDeleteMarker: a current delete marker with no noncurrent version behind it is
 *       removed.
 *   <li>NoncurrentVersionExpiration: a noncurrent version (delete markers included) is removed
 *       NoncurrentDays after it became noncurrent, keeping the NewerNoncurrentVersions newest
 *       noncurrent versions of each key. The time it became noncurrent is the Last-Modified of the
 *       next newer version of the key (the write that replaced it); when that newer version was
 *       itself removed since, the next newer one still listed counts, which can only keep a version
 *       longer.
 *   <li>AbortIncompleteMultipartUpload: uploads started DaysAfterInitiation days ago (rounded up to
 *       midnight UTC) are aborted.
 * </ul>
 *
 * Every deletion goes through {@link ObjectStore} and {@link Uploads} (so versions, GC and the
 * uploads' parts stay consistent) and is guarded by the write id seen when listing: a version
 * written meanwhile is never expired by a decision made about its predecessor. Nodes of a cluster
 * may run it at the same time; the guards make that safe (work is only done twice).
 */
public final class LifecycleRunner {
  private static final System.Logger LOG = System.getLogger(LifecycleRunner.class.getName());

  static final long DAY = 86_400_000L;
  private static final int PAGE = 1000;

  private final Buckets buckets;
  private final ObjectStore objects;
  private final Uploads uploads;
  private final Clock clock;

  public LifecycleRunner(Buckets buckets, ObjectStore objects, Uploads uploads, Clock clock) {
    this.buckets = buckets;
    this.objects = objects;
    this.uploads = uploads;
    this.clock = clock;
  }

  /** What a run did. */
  public record Report(long expired, long noncurrentRemoved, long markersRemoved, long aborted) {
    Report plus(Report o) {
      return new Report(
          expired + o.expired,
          noncurrentRemoved + o.noncurrentRemoved,
          markersRemoved + o.markersRemoved,
          aborted + o.aborted);
    }
  }

  /** When something {@code days} days after {@code start} is due: rounded up to midnight UTC. */
  static long due(long start, int days) {
    long t = start + days * DAY;
    return Math.floorDiv(t + DAY - 1, DAY) * DAY;
  }

  /** When a current version expires, and by which rule: what S3 reports in x-amz-expiration. */
  public record Expiry(long at, String ruleId) {}

  /**
   * The expiry of a current version of {@code key} (with {@code tags}, {@code size}, last modified
   * at {@code lastModified}) under the bucket's {@code rules}: the earliest due time among the
   * enabled rules with an Expiration that select it (the first such rule on a tie), or empty.
   */
  public static Optional<Expiry> expiry(
      List<LifecycleRule> rules,
      String key,
      Map<String, String> tags,
      long size,
      long lastModified) {
    Expiry best = null;
    if (rules == null) {
      return Optional.empty();
    }
    for (LifecycleRule r : rules) {
      if (!r.enabled() || !r.selects(key, tags, size)) {
        continue;
      }
      Long at =
          r.expirationDays() != null
              ? Long.valueOf(due(lastModified, r.expirationDays()))
              : r.expirationDate();
      if (at != null && (best == null || at < best.at())) {
        best = new Expiry(at, r.id());
      }
    }
    return Optional.ofNullable(best);
  }

  /** Applies every bucket's enabled rules once. A failing bucket is logged and skipped. */
  public synchronized Report run() {
    Report total = new Report(0, 0, 0, 0);
    for (Bucket b : buckets.list()) {
      if (b.lifecycle() == null || b.lifecycle().stream().noneMatch(LifecycleRule::enabled)) {
        continue;
      }
      try {
        total = total.plus(run(b.name()));
      } catch (KvException e) {
        if (e.reason() != KvException.Reason.NO_SUCH_BUCKET) {
          LOG.log(System.Logger.Level.WARNING, "lifecycle of bucket " + b.name() + " failed: " + e);
        }
      }
    }
    return total;
  }

  /** Applies the enabled rules of bucket {@code name} once. */
  public synchronized Report run(String name) {
    Bucket b = buckets.require(name);
    List<LifecycleRule> rules =
        b.lifecycle() == null
            ? List.of()
            : b.lifecycle().stream().filter(LifecycleRule::enabled).toList();
    if (rules.isEmpty()) {
      return new Report(0, 0, 0, 0);
    }
    long now = clock.millis();
    long[] counts = new long[4];
    if (rules.stream().anyMatch(LifecycleRunner::touchesObjects)) {
      walkVersions(name, rules, now, counts);
    }
    if (rules.stream().anyMatch(r -> r.abortDays() != null)) {
      abortUploads(name, rules, now, counts);
    }
    return new Report(counts[0], counts[1], counts[2], counts[3]);
  }

  private static boolean touchesObjects(LifecycleRule r) {
    return r.expirationDays() != null
        || r.expirationDate() != null
        || r.expiredObjectDeleteMarker()
        || r.noncurrentDays() != null;
  }

  /**
   * Lists every version, key by key (a key's versions newest first, possibly across pages), and
   * acts on a key once all its versions are read, so the listing markers always name untouched
   * keys.
   */
  private void walkVersions(String bucket, List<LifecycleRule> rules, long now, long[] counts) {
    String keyMarker = null;
    String versionMarker = null;
    List<ObjectStore.VersionEntry> pending = new ArrayList<>();
    while (true) {
      ObjectStore.VersionsPage page =
          objects.listVersions(bucket, null, null, keyMarker, versionMarker, PAGE);
      for (ObjectStore.VersionEntry e : page.versions()) {
        if (!pending.isEmpty() && !pending.get(0).key().equals(e.key())) {
          applyToKey(bucket, pending, rules, now, counts);
          pending.clear();
        }
        pending.add(e);
      }
      if (!page.truncated() || page.versions().isEmpty()) {
        break;
      }
      ObjectStore.VersionEntry last = page.versions().get(page.versions().size() - 1);
      keyMarker = last.key();
      versionMarker = last.head().versionId();
    }
    if (!pending.isEmpty()) {
      applyToKey(bucket, pending, rules, now, counts);
    }
  }

  /** {@code all}: one key's versions, newest first, the first one current. */
  private void applyToKey(
      String bucket,
      List<ObjectStore.VersionEntry> all,
      List<LifecycleRule> rules,
      long now,
      long[] counts) {
    String key = all.get(0).key();
    ObjectHead current = all.get(0).latest() ? all.get(0).head() : null;
    int firstNoncurrent = current == null ? 0 : 1;
    int noncurrentLeft = all.size() - firstNoncurrent;
    // Noncurrent versions: the i-th newest noncurrent one has i - 1 newer noncurrent versions.
    for (int i = firstNoncurrent; i < all.size(); i++) {
      ObjectHead v = all.get(i).head();
      long since = i == 0 ? v.lastModified() : all.get(i - 1).head().lastModified();
      int newer = i - firstNoncurrent;
      if (noncurrentDue(rules, key, v, since, newer, now)
          && objects.deleteVersionIf(bucket, key, v.versionId(), v.writeId()).isPresent()) {
        counts[1]++;
        noncurrentLeft--;
      }
    }
    if (current == null) {
      return;
    }
    if (current.deleteMarker()) {
      if (noncurrentLeft == 0
          && rules.stream()
              .anyMatch(r -> r.expiredObjectDeleteMarker() && r.selects(key, Map.of(), 0))
          && objects
              .deleteVersionIf(bucket, key, current.versionId(), current.writeId())
              .isPresent()) {
        counts[2]++;
      }
      return;
    }
    if (currentExpired(rules, key, current, now)
        && objects.deleteIfCurrent(bucket, key, current.writeId()).isPresent()) {
      counts[0]++;
    }
  }

  private static boolean currentExpired(
      List<LifecycleRule> rules, String key, ObjectHead h, long now) {
    for (LifecycleRule r : rules) {
      if (!r.selects(key, h.tags(), h.size())) {
        continue;
      }
      if (r.expirationDays() != null && due(h.lastModified(), r.expirationDays()) <= now) {
        return true;
      }
      if (r.expirationDate() != null && r.expirationDate() <= now) {
        return true;
      }
    }
    return false;
  }

  private static boolean noncurrentDue(
      List<LifecycleRule> rules, String key, ObjectHead v, long since, int newer, long now) {
    for (LifecycleRule r : rules) {
      if (r.noncurrentDays() == null
          || !r.selects(key, v.tags(), v.deleteMarker() ? 0 : v.size())) {
        continue;
      }
      if (r.newerNoncurrentVersions() != null && newer < r.newerNoncurrentVersions()) {
        continue;
      }
      if (due(since, r.noncurrentDays()) <= now) {
        return true;
      }
    }
    return false;
  }

  private void abortUploads(String bucket, List<LifecycleRule> rules, long now, long[] counts) {
    String keyMarker = null;
    String idMarker = null;
    while (true) {
      Uploads.UploadsPage page = uploads.list(bucket, null, keyMarker, idMarker, PAGE);
      for (Upload u : page.uploads()) {
        boolean due =
            rules.stream()
                .anyMatch(
                    r ->
                        r.abortDays() != null
                            && (r.prefix() == null || u.key().startsWith(r.prefix()))
                            && r.tags().isEmpty()
                            && due(u.initiated(), r.abortDays()) <= now);
        if (due) {
          try {
            uploads.abort(bucket, u.key(), u.uploadId());
            counts[3]++;
          } catch (KvException e) {
            if (e.reason() != KvException.Reason.NO_SUCH_UPLOAD) {
              throw e;
            }
          }
        }
      }
      if (!page.truncated() || page.uploads().isEmpty()) {
        return;
      }
      Upload last = page.uploads().get(page.uploads().size() - 1);
      keyMarker = last.key();
      idMarker = last.uploadId();
    }
  }
}
