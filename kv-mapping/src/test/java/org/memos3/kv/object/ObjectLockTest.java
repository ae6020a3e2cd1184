package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.kv.object.ObjectStoreTest.data;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.KvException;
import org.memos3.kv.TestClock;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.ObjectLockConfiguration;
import org.memos3.kv.bucket.RetentionMode;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.manifest.ManifestRef;

/** Object Lock: bucket state, default retention, refused deletions, on the in-memory grid. */
class ObjectLockTest {
  private static final long DAY = 86_400_000L;

  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final TestClock clock = new TestClock();
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), clock);
  private final ObjectStore s = new ObjectStore(grid, buckets, io, clock, KvConfig.defaults());

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private static KvException.Reason reason(Runnable r) {
    try {
      r.run();
    } catch (KvException e) {
      return e.reason();
    }
    return null;
  }

  private ObjectHead put(String bucket, String key, ObjectLock lock) throws Exception {
    ObjectData d = data("locked".getBytes());
    return s.put(
        bucket,
        key,
        new ObjectData() {
          public java.io.InputStream body() {
            return d.body();
          }

          public String etag() {
            return d.etag();
          }

          public java.util.Optional<Map.Entry<String, String>> checksum() {
            return d.checksum();
          }

          public Map<String, String> headers() {
            return d.headers();
          }

          public Map<String, String> userMetadata() {
            return d.userMetadata();
          }

          public ObjectLock lock() {
            return lock;
          }
        },
        Conditions.NONE);
  }

  @Test
  void aLockedBucketIsVersionedForGood() {
    Bucket b = buckets.create("lkb", "root", false, true);
    assertThat(b.versioning()).isEqualTo(Versioning.ENABLED);
    assertThat(b.objectLock()).isEqualTo(ObjectLockConfiguration.ENABLED);
    assertThat(reason(() -> buckets.setVersioning("lkb", Versioning.SUSPENDED)))
        .isEqualTo(KvException.Reason.INVALID_BUCKET_STATE);
    assertThat(buckets.require("lkb").versioning()).isEqualTo(Versioning.ENABLED);

    // An existing bucket takes Object Lock only once its versioning is Enabled.
    buckets.create("plain", "root");
    var config = new ObjectLockConfiguration(RetentionMode.GOVERNANCE, 3, 0);
    assertThat(reason(() -> buckets.setObjectLock("plain", config)))
        .isEqualTo(KvException.Reason.INVALID_BUCKET_STATE);
    buckets.setVersioning("plain", Versioning.ENABLED);
    assertThat(buckets.setObjectLock("plain", config).objectLock()).isEqualTo(config);
    assertThat(buckets.require("plain").objectLock()).isEqualTo(config);
  }

  @Test
  void theDefaultRetentionDatesFromTheWrite() throws Exception {
    buckets.create("lkb", "root", false, true);
    assertThat(put("lkb", "none", ObjectLock.NONE).lock()).isEqualTo(ObjectLock.NONE);
    buckets.setObjectLock("lkb", new ObjectLockConfiguration(RetentionMode.COMPLIANCE, 2, 0));
    ObjectHead h = put("lkb", "days", ObjectLock.NONE);
    assertThat(h.lock())
        .isEqualTo(new ObjectLock(RetentionMode.COMPLIANCE, clock.now + 2 * DAY, null));
    // A legal hold alone still gets the default retention; a retention of its own wins.
    assertThat(put("lkb", "held", ObjectLock.NONE.withLegalHold(true)).lock())
        .isEqualTo(new ObjectLock(RetentionMode.COMPLIANCE, clock.now + 2 * DAY, true));
    ObjectLock own = new ObjectLock(RetentionMode.GOVERNANCE, clock.now + 5_000, null);
    assertThat(put("lkb", "own", own).lock()).isEqualTo(own);
    buckets.setObjectLock("lkb", new ObjectLockConfiguration(RetentionMode.GOVERNANCE, 0, 1));
    assertThat(put("lkb", "year", ObjectLock.NONE).lock().retainUntilMillis())
        .isEqualTo(
            Instant.ofEpochMilli(clock.now)
                .atZone(ZoneOffset.UTC)
                .plusYears(1)
                .toInstant()
                .toEpochMilli());
    // The state survives the record: current and, once replaced, noncurrent.
    put("lkb", "days", ObjectLock.NONE);
    var old = s.findVersion("lkb", "days", h.versionId()).orElseThrow();
    assertThat(old.latest()).isFalse();
    assertThat(old.head().lock()).isEqualTo(h.lock());
  }

  @Test
  void aRetentionRefusesDeletionByVersionUntilItsDate() throws Exception {
    buckets.create("lkb", "root", false, true);
    long until = clock.now + DAY;
    ObjectHead gov = put("lkb", "g", new ObjectLock(RetentionMode.GOVERNANCE, until, null));
    ObjectHead comp = put("lkb", "c", new ObjectLock(RetentionMode.COMPLIANCE, until, null));
    assertThat(reason(() -> s.deleteVersion("lkb", "c", comp.versionId())))
        .isEqualTo(KvException.Reason.OBJECT_LOCKED);
    assertThat(reason(() -> s.deleteVersion("lkb", "c", comp.versionId(), true)))
        .isEqualTo(KvException.Reason.OBJECT_LOCKED);
    assertThat(reason(() -> s.deleteVersion("lkb", "g", gov.versionId())))
        .isEqualTo(KvException.Reason.OBJECT_LOCKED);
    // A delete without a version id adds a marker; the locked version stays, noncurrent.
    assertThat(s.delete("lkb", "c").deleteMarker()).isTrue();
    assertThat(reason(() -> s.deleteVersion("lkb", "c", comp.versionId())))
        .isEqualTo(KvException.Reason.OBJECT_LOCKED);
    assertThat(s.findVersion("lkb", "c", comp.versionId())).isPresent();
    // Bypassing lifts GOVERNANCE only.
    assertThat(s.deleteVersion("lkb", "g", gov.versionId(), true).versionId())
        .isEqualTo(gov.versionId());
    assertThat(s.findVersion("lkb", "g", gov.versionId())).isEmpty();
    // After its date, anyone may delete it.
    clock.now = until;
    s.deleteVersion("lkb", "c", comp.versionId());
    assertThat(s.findVersion("lkb", "c", comp.versionId())).isEmpty();
  }

  @Test
  void aLegalHoldRefusesDeletionUntilLifted() throws Exception {
    buckets.create("lkb", "root", false, true);
    ObjectHead h = put("lkb", "k", ObjectLock.NONE);
    put("lkb", "k", ObjectLock.NONE); // h becomes noncurrent: its row is rewritten
    ObjectHead held = s.setLock("lkb", "k", h.versionId(), l -> l.withLegalHold(true));
    assertThat(held.versionId()).isEqualTo(h.versionId());
    assertThat(held.lock().held()).isTrue();
    assertThat(reason(() -> s.deleteVersion("lkb", "k", h.versionId(), true)))
        .isEqualTo(KvException.Reason.OBJECT_LOCKED);
    s.setLock("lkb", "k", h.versionId(), l -> l.withLegalHold(false));
    assertThat(s.findVersion("lkb", "k", h.versionId()).orElseThrow().head().lock().legalHold())
        .isFalse();
    s.deleteVersion("lkb", "k", h.versionId());
    assertThat(s.findVersion("lkb", "k", h.versionId())).isEmpty();
  }

  @Test
  void aChangeSeesTheStateItReplacesAndMayRefuse() throws Exception {
    buckets.create("lkb", "root", false, true);
    ObjectHead h = put("lkb", "k", ObjectLock.NONE);
    s.setLock("lkb", "k", null, l -> l.withRetention(RetentionMode.COMPLIANCE, clock.now + DAY));
    assertThatThrownBy(
            () ->
                s.setLock(
                    "lkb",
                    "k",
                    h.versionId(),
                    l -> {
                      assertThat(l.mode()).isEqualTo(RetentionMode.COMPLIANCE);
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThat(s.findVersion("lkb", "k", null).orElseThrow().head().lock().mode())
        .isEqualTo(RetentionMode.COMPLIANCE);
    // Tags and lock are rewritten independently of each other.
    s.setTags("lkb", "k", null, Map.of("t", "v"));
    ObjectHead now = s.findVersion("lkb", "k", null).orElseThrow().head();
    assertThat(now.tags()).containsEntry("t", "v");
    assertThat(now.lock().mode()).isEqualTo(RetentionMode.COMPLIANCE);
  }

  /**
   * A write holding the bucket as read before versioning was Enabled and Object Lock set (a long
   * upload) would replace the "null" version: refused when Object Lock now protects it.
   */
  @Test
  void aStaleBucketCannotReplaceAProtectedNullVersion() throws Exception {
    Bucket stale = buckets.create("lkb", "root");
    s.put(stale, "k", data("null".getBytes()), Conditions.NONE);
    buckets.setVersioning("lkb", Versioning.ENABLED);
    buckets.setObjectLock("lkb", ObjectLockConfiguration.ENABLED);
    s.setLock("lkb", "k", "null", l -> l.withLegalHold(true));
    assertThat(reason(() -> uncheckedPut(stale, "k"))).isEqualTo(KvException.Reason.OBJECT_LOCKED);
    assertThat(reason(() -> s.delete("lkb", "k"))).isNull(); // a marker, with the bucket as it is
    assertThat(s.findVersion("lkb", "k", "null").orElseThrow().head().lock().held()).isTrue();
  }

  /**
   * A suspended bucket's write replaces the noncurrent "null" version too: with the bucket as read
   * before Object Lock (a long upload), refused while that version is protected; and a deletion of
   * the "null" version never takes another version that shares its id.
   */
  @Test
  void aStaleSuspendedWriteCannotHideAProtectedNullVersion() throws Exception {
    buckets.create("lkb", "root");
    Bucket stale = buckets.setVersioning("lkb", Versioning.SUSPENDED);
    s.put(stale, "k", data("null".getBytes()), Conditions.NONE);
    buckets.setVersioning("lkb", Versioning.ENABLED);
    buckets.setObjectLock("lkb", ObjectLockConfiguration.ENABLED);
    s.setLock("lkb", "k", "null", l -> l.withLegalHold(true));
    s.delete("lkb", "k"); // a marker: "null" becomes noncurrent
    assertThat(reason(() -> uncheckedPut(stale, "k"))).isEqualTo(KvException.Reason.OBJECT_LOCKED);
    var nullVersion = s.findVersion("lkb", "k", "null").orElseThrow();
    assertThat(nullVersion.head().lock().held()).isTrue();
    assertThat(new String(ObjectStoreTest.read(s, nullVersion.object(), 0, 4))).isEqualTo("null");
    assertThat(s.listVersions("lkb", "", null, null, null, 10).versions()).hasSize(2);
  }

  private void uncheckedPut(Bucket b, String key) {
    try {
      s.put(b, key, data("new".getBytes()), Conditions.NONE);
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  @Test
  void headsWithoutALockKeepFormat3() {
    byte[] key = Aead.newKey();
    byte[] k = "k".getBytes();
    ObjectHead plain =
        new ObjectHead(new byte[] {1}, "v", true, (ManifestRef) null, 0, null, 5, Map.of());
    byte[] sealed = plain.seal(key, 9, k);
    assertThat(ObjectHead.open(sealed, key, 9, k)).usingRecursiveComparison().isEqualTo(plain);
    ObjectHead locked = plain.withLock(new ObjectLock(RetentionMode.GOVERNANCE, 77, false));
    assertThat(ObjectHead.open(locked.seal(key, 9, k), key, 9, k).lock()).isEqualTo(locked.lock());
    assertThat(
            new org.memos3.kv.Codec.Reader(
                    Aead.open(key, Aead.aad("head", k, 9), plain.seal(key, 9, k)))
                .u8())
        .isEqualTo(3);
  }
}
