package org.memos3.kv.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.Table;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.TestClock;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.ObjectLockConfiguration;
import org.memos3.kv.bucket.RetentionMode;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.gc.GarbageCollector;
import org.memos3.kv.lifecycle.LifecycleRule.FilterForm;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/** The lifecycle job on an in-memory grid with a clock the test moves. */
class LifecycleRunnerTest {
  static final long DAY = LifecycleRunner.DAY;

  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final TestClock clock = new TestClock();
  private final KvConfig cfg = new KvConfig(1024, 3, 2, 64, 8, 0, 0);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), clock);
  private final ObjectStore store = new ObjectStore(grid, buckets, io, clock, cfg);
  private final Uploads uploads = new Uploads(grid, buckets, store, clock);
  private final LifecycleRunner runner = new LifecycleRunner(buckets, store, uploads, clock);

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private ObjectHead put(String bucket, String key, String body) throws Exception {
    return store.put(
        bucket, key, ObjectStoreTest.data(body.getBytes(StandardCharsets.UTF_8)), Conditions.NONE);
  }

  private static LifecycleRule rule(
      String prefix,
      Map<String, String> tags,
      Integer days,
      Long date,
      boolean marker,
      Integer noncurrentDays,
      Integer newer,
      Integer abort) {
    return new LifecycleRule(
        "r",
        true,
        FilterForm.AND,
        prefix,
        tags,
        null,
        null,
        days,
        date,
        marker,
        noncurrentDays,
        newer,
        abort);
  }

  private List<String> versionIds(String bucket, String key) {
    return store.listVersions(bucket, key, null, null, null, 1000).versions().stream()
        .filter(v -> v.key().equals(key))
        .map(v -> (v.head().deleteMarker() ? "DM:" : "") + v.head().versionId())
        .toList();
  }

  @Test
  void daysRoundUpToMidnightUtc() {
    long t0 = clock.now;
    assertThat(LifecycleRunner.due(t0, 1))
        .isEqualTo(Instant.parse("2023-11-16T00:00:00Z").toEpochMilli());
    long midnight = Instant.parse("2023-11-14T00:00:00Z").toEpochMilli();
    assertThat(LifecycleRunner.due(midnight, 2)).isEqualTo(midnight + 2 * DAY);
  }

  @Test
  void expiresCurrentVersionsOfUnversionedBucketsByPrefixAndTag() throws Exception {
    buckets.create("unv", "root");
    long t0 = clock.now;
    put("unv", "logs/a", "a".repeat(3000)); // three chunks, beyond the inline limit
    put("unv", "logs/tagged", "t");
    store.setTags("unv", "logs/tagged", null, Map.of("keep", "yes"));
    put("unv", "data/b", "b");
    buckets.setLifecycle(
        "unv",
        List.of(
            rule("logs/", Map.of(), 1, null, false, null, null, null),
            rule("data/", Map.of("tier", "cold"), 1, null, false, null, null, null),
            new LifecycleRule(
                "disabled",
                false,
                FilterForm.EMPTY,
                null,
                Map.of(),
                null,
                null,
                1,
                null,
                false,
                null,
                null,
                null)));
    clock.now = LifecycleRunner.due(t0, 1) - 1;
    assertThat(runner.run().expired()).isZero();
    assertThat(store.find("unv", "logs/a")).isPresent();

    clock.now = LifecycleRunner.due(t0, 1);
    LifecycleRunner.Report r = runner.run();
    assertThat(r.expired()).isEqualTo(2);
    assertThat(store.find("unv", "logs/a")).isEmpty();
    assertThat(store.find("unv", "logs/tagged")).isEmpty();
    assertThat(store.find("unv", "data/b")).isPresent(); // not tagged tier=cold
    // Deleted through the object store: the version with chunks is on the GC queue (an inline one
    // has nothing outside its record to free).
    assertThat(grid.table(Table.GC).range(org.memos3.kv.gc.GcEntry.GROUP, new byte[0], null, 10))
        .hasSize(1);
    assertThat(runner.run().expired()).isZero();
  }

  @Test
  void dateExpirationAndObjectsWrittenLaterAreSpared() throws Exception {
    buckets.create("dated", "root");
    long date = Instant.parse("2023-11-20T00:00:00Z").toEpochMilli();
    put("dated", "k", "x");
    buckets.setLifecycle(
        "dated", List.of(rule(null, Map.of(), null, date, false, null, null, null)));
    clock.now = date - 1;
    assertThat(runner.run().expired()).isZero();
    clock.now = date;
    assertThat(runner.run().expired()).isEqualTo(1);
    assertThat(store.find("dated", "k")).isEmpty();
  }

  @Test
  void guardedDeletesLeaveNewerWritesAlone() throws Exception {
    buckets.create("guard", "root");
    ObjectHead old = put("guard", "k", "old");
    put("guard", "k", "new");
    assertThat(store.deleteIfCurrent("guard", "k", old.writeId())).isEmpty();
    assertThat(store.deleteVersionIf("guard", "k", "null", old.writeId())).isEmpty();
    assertThat(store.find("guard", "k")).isPresent();
  }

  @Test
  void versionedBucketExpiresByMarkerThenRemovesNoncurrentAndExpiredMarkers() throws Exception {
    buckets.create("ver", "root");
    buckets.setVersioning("ver", Versioning.ENABLED);
    long t0 = clock.now;
    ObjectHead v1 = put("ver", "k", "v1");
    clock.now = t0 + DAY;
    ObjectHead v2 = put("ver", "k", "v2");
    buckets.setLifecycle(
        "ver",
        List.of(
            rule(null, Map.of(), 10, null, false, 2, null, null),
            rule(null, Map.of(), null, null, true, null, null, null)));

    // v1 became noncurrent at t0 + 1 day: removed 2 days later (midnight).
    clock.now = LifecycleRunner.due(t0 + DAY, 2) - 1;
    assertThat(runner.run().noncurrentRemoved()).isZero();
    clock.now = LifecycleRunner.due(t0 + DAY, 2);
    assertThat(runner.run().noncurrentRemoved()).isEqualTo(1);
    assertThat(versionIds("ver", "k")).containsExactly(v2.versionId());

    // v2 expires 10 days after its creation: a delete marker goes on top, v2 stays noncurrent.
    long expiry = LifecycleRunner.due(v2.lastModified(), 10);
    clock.now = expiry;
    LifecycleRunner.Report r = runner.run();
    assertThat(r.expired()).isEqualTo(1);
    List<String> ids = versionIds("ver", "k");
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).startsWith("DM:");
    assertThat(ids.get(1)).isEqualTo(v2.versionId());
    assertThat(store.find("ver", "k")).isEmpty();

    // v2 became noncurrent at the expiry: removed 2 days later; then the marker is alone
    // (an expired object delete marker) and goes too.
    clock.now = LifecycleRunner.due(expiry, 2);
    r = runner.run();
    assertThat(r.noncurrentRemoved()).isEqualTo(1);
    assertThat(r.markersRemoved()).isEqualTo(1);
    assertThat(versionIds("ver", "k")).isEmpty();
    assertThat(v1.versionId()).isNotEqualTo(v2.versionId());
  }

  @Test
  void newerNoncurrentVersionsAreKept() throws Exception {
    buckets.create("keep", "root");
    buckets.setVersioning("keep", Versioning.ENABLED);
    ObjectHead v1 = put("keep", "k", "1");
    ObjectHead v2 = put("keep", "k", "2");
    ObjectHead v3 = put("keep", "k", "3");
    ObjectHead v4 = put("keep", "k", "4");
    buckets.setLifecycle("keep", List.of(rule(null, Map.of(), null, null, false, 1, 2, null)));
    clock.now += 3 * DAY;
    assertThat(runner.run().noncurrentRemoved()).isEqualTo(1);
    assertThat(versionIds("keep", "k"))
        .containsExactly(v4.versionId(), v3.versionId(), v2.versionId());
    assertThat(v1).isNotNull();
  }

  @Test
  void lockedVersionsOutliveTheirExpiryUntilTheirRetentionEnds() throws Exception {
    buckets.create("lockd", "root", false, true);
    buckets.setObjectLock("lockd", new ObjectLockConfiguration(RetentionMode.COMPLIANCE, 10, 0));
    ObjectHead v1 = put("lockd", "k", "1");
    ObjectHead v2 = put("lockd", "k", "2");
    buckets.setLifecycle("lockd", List.of(rule(null, Map.of(), 1, null, false, 1, null, null)));
    // v2 expires (a delete marker goes on top, as S3 does), v1 is due but locked for 10 days.
    clock.now += 3 * DAY;
    var r = runner.run();
    assertThat(r.expired()).isEqualTo(1);
    assertThat(r.noncurrentRemoved()).isZero();
    assertThat(versionIds("lockd", "k")).hasSize(3).endsWith(v2.versionId(), v1.versionId());
    clock.now += 10 * DAY;
    assertThat(runner.run().noncurrentRemoved()).isEqualTo(2);
  }

  @Test
  void abortsIncompleteUploadsAfterTheirDays() throws Exception {
    buckets.create("mpu", "root");
    long t0 = clock.now;
    uploads.create("mpu", "tmp/a", Map.of(), Map.of(), "root");
    uploads.create("mpu", "keep/b", Map.of(), Map.of(), "root");
    buckets.setLifecycle("mpu", List.of(rule("tmp/", Map.of(), null, null, false, null, null, 1)));
    clock.now = LifecycleRunner.due(t0, 1) - 1;
    assertThat(runner.run().aborted()).isZero();
    clock.now = LifecycleRunner.due(t0, 1);
    assertThat(runner.run().aborted()).isEqualTo(1);
    assertThat(uploads.list("mpu", null, null, null, 10).uploads())
        .extracting(u -> u.key())
        .containsExactly("keep/b");
    // Objects are untouched by an abort-only rule.
    put("mpu", "tmp/obj", "x");
    clock.now += 30 * DAY;
    assertThat(runner.run().expired()).isZero();
    assertThat(store.find("mpu", "tmp/obj")).isPresent();
    new GarbageCollector(grid, buckets, clock, cfg).reap();
  }

  /** x-amz-expiration's answer: the earliest expiry of the enabled rules that select the object. */
  @Test
  void expiryIsTheEarliestOfTheRulesThatSelectTheObject() {
    long t0 = Instant.parse("2026-11-28T10:30:00Z").toEpochMilli();
    long day = 86_400_000L;
    long midnight = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    LifecycleRule logs = rule("logs/", Map.of(), 30, null, false, null, null, null);
    LifecycleRule tagged = rule(null, Map.of("tmp", "1"), 2, null, false, null, null, null);
    LifecycleRule dated =
        rule("logs/old/", Map.of(), null, midnight + 10 * day, false, null, null, null);
    LifecycleRule noncurrentOnly = rule(null, Map.of(), null, null, false, 1, null, null);
    List<LifecycleRule> rules = List.of(logs, tagged, dated, noncurrentOnly);

    assertThat(LifecycleRunner.expiry(rules, "other", Map.of(), 5, t0)).isEmpty();
    // 30 days after 10:30, rounded up to the next midnight UTC.
    assertThat(LifecycleRunner.expiry(rules, "logs/a", Map.of(), 5, t0))
        .contains(new LifecycleRunner.Expiry(midnight + 31 * day, "r"));
    assertThat(LifecycleRunner.expiry(rules, "logs/a", Map.of("tmp", "1"), 5, t0))
        .hasValueSatisfying(e -> assertThat(e.at()).isEqualTo(midnight + 3 * day));
    assertThat(LifecycleRunner.expiry(rules, "logs/old/x", Map.of(), 5, t0))
        .hasValueSatisfying(e -> assertThat(e.at()).isEqualTo(midnight + 10 * day));
    assertThat(LifecycleRunner.expiry(null, "logs/a", Map.of(), 5, t0)).isEmpty();
  }
}
