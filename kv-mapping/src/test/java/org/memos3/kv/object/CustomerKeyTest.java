package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.gc.GarbageCollector;
import org.memos3.kv.multipart.Uploads;

/** Objects written with a client's key (SSE-C), on the in-memory grid. */
class CustomerKeyTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final TestClock clock = new TestClock();
  // 1 KiB chunks and 4 refs per index level would be deep; FANOUT is fixed, so 1 KiB chunks
  // give a many-chunk object at a small size.
  private final KvConfig cfg = new KvConfig(1024, 3, 2, 64, 8, 0, 0);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), clock);
  private final ObjectStore s = new ObjectStore(grid, buckets, io, clock, cfg);
  private final CustomerKey key = new CustomerKey(bytes(32, 1));
  private final CustomerKey other = new CustomerKey(bytes(32, 2));

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ObjectData keyed(byte[] body, CustomerKey k) throws Exception {
    ObjectData d = ObjectStoreTest.data(body);
    return new ObjectData() {
      public InputStream body() {
        return d.body();
      }

      public String etag() {
        return d.etag();
      }

      public Optional<Map.Entry<String, String>> checksum() {
        return d.checksum();
      }

      public Map<String, String> headers() {
        return d.headers();
      }

      public Map<String, String> userMetadata() {
        return d.userMetadata();
      }

      public CustomerKey customerKey() {
        return k;
      }
    };
  }

  private byte[] read(StoredObject o, long from, long to, CustomerKey k) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectContent c = s.open(o, from, to, k)) {
      for (ObjectContent.Piece p = c.next(); p != null; p = c.next()) {
        out.write(p.bytes(), p.offset(), p.length());
        p.release();
      }
    }
    return out.toByteArray();
  }

  private static ObjectData plainData(byte[] body) {
    try {
      return ObjectStoreTest.data(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectData keyedData(byte[] body, CustomerKey k) {
    try {
      return keyed(body, k);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KvException.Reason reason(Runnable r) {
    try {
      r.run();
    } catch (KvException e) {
      return e.reason();
    }
    return null;
  }

  @Test
  void onlyTheKeyReadsItsObject() throws Exception {
    buckets.create("ssec", "root");
    for (int size : new int[] {0, 10, 5000}) {
      byte[] body = bytes(size, size);
      String k = "k" + size;
      ObjectHead h = s.put("ssec", k, keyed(body, key), Conditions.NONE);
      String md5 = ObjectStoreTest.data(body).etag();
      assertThat(h.etag()).isEqualTo(key.etag(md5, h.writeId())).isNotEqualTo(md5);
      StoredObject o = s.find("ssec", k).orElseThrow();
      assertThat(o.manifest().isInline()).isFalse(); // never under the bucket key alone
      assertThat(read(o, 0, size, key)).isEqualTo(body);
      if (size > 1000) {
        assertThat(read(o, 1000, 3100, key))
            .isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 3100));
      }
      assertThat(reason(() -> read(o, 0, size, null)))
          .isEqualTo(KvException.Reason.CUSTOMER_KEY_REQUIRED);
      assertThat(reason(() -> read(o, 0, size, other)))
          .isEqualTo(KvException.Reason.CUSTOMER_KEY_MISMATCH);
    }
    s.put("ssec", "plain", ObjectStoreTest.data(bytes(10, 9)), Conditions.NONE);
    StoredObject plain = s.find("ssec", "plain").orElseThrow();
    assertThat(reason(() -> read(plain, 0, 10, key)))
        .isEqualTo(KvException.Reason.CUSTOMER_KEY_NOT_APPLICABLE);
    assertThat(read(plain, 0, 10, null)).isEqualTo(bytes(10, 9));
  }

  @Test
  void multipartPartsCarryTheUploadsKey() throws Exception {
    buckets.create("ssec", "root");
    Uploads uploads = new Uploads(grid, buckets, s, clock);
    var u =
        uploads.create(
            "ssec", "mp", Map.of(), Map.of(), "root", null, null, Map.of(), ObjectLock.NONE, key);
    byte[] one = bytes(5 * 1024 * 1024, 1);
    byte[] two = bytes(3000, 2);
    assertThat(
            reason(
                () -> {
                  try {
                    uploads.uploadPart("ssec", "mp", u.uploadId(), 1, plainData(one));
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                }))
        .isEqualTo(KvException.Reason.CUSTOMER_KEY_REQUIRED);
    assertThat(
            reason(
                () -> {
                  try {
                    uploads.uploadPart("ssec", "mp", u.uploadId(), 1, keyedData(one, other));
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                }))
        .isEqualTo(KvException.Reason.CUSTOMER_KEY_NOT_APPLICABLE);
    var p1 = uploads.uploadPart("ssec", "mp", u.uploadId(), 1, keyed(one, key));
    var p2 = uploads.uploadPart("ssec", "mp", u.uploadId(), 2, keyed(two, key));
    uploads.complete(
        "ssec",
        "mp",
        u.uploadId(),
        java.util.List.of(
            new Uploads.CompletedPart(1, p1.etag()), new Uploads.CompletedPart(2, p2.etag())),
        Conditions.NONE);
    StoredObject o = s.find("ssec", "mp").orElseThrow();
    byte[] all = new byte[one.length + two.length];
    System.arraycopy(one, 0, all, 0, one.length);
    System.arraycopy(two, 0, all, one.length, two.length);
    assertThat(read(o, 0, all.length, key)).isEqualTo(all);
    assertThat(reason(() -> read(o, 0, 10, null)))
        .isEqualTo(KvException.Reason.CUSTOMER_KEY_REQUIRED);
  }

  /** GC walks an SSE-C object's chunk tree without the client's key and frees every block. */
  @Test
  void garbageCollectionNeedsNoKey() throws Exception {
    buckets.create("ssec", "root");
    GarbageCollector gc = new GarbageCollector(grid, buckets, clock, cfg);
    // Over FANOUT chunks of 1 KiB: the chunk tree has an index level.
    byte[] body = bytes(1100 * 1024, 5);
    s.put("ssec", "big", keyed(body, key), Conditions.NONE);
    assertThat(s.find("ssec", "big").orElseThrow().manifest().depth()).isEqualTo(1);
    long before = grid.blocks().count();
    s.delete("ssec", "big");
    clock.now += 1;
    var report = gc.reap();
    assertThat(report.blocks()).isGreaterThan(1100);
    assertThat(grid.blocks().count()).isEqualTo(before - report.blocks());
  }

  @Test
  void aKeyIs256Bits() {
    assertThatThrownBy(() -> new CustomerKey(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    // A check is salted: two differ, each matches its key only.
    byte[] one = key.newCheck();
    byte[] two = key.newCheck();
    assertThat(one).hasSize(CustomerKey.CHECK_LENGTH).isNotEqualTo(two);
    assertThat(new CustomerKey(bytes(32, 1)).matches(one)).isTrue();
    assertThat(key.matches(two)).isTrue();
    assertThat(other.matches(one)).isFalse();
    assertThat(key.matches(new byte[CustomerKey.CHECK_LENGTH])).isFalse();
    assertThat(key.matches(new byte[3])).isFalse();
    // ETags are bound to the write: equal contents, other writes, other ETags.
    String md5 = "0123456789abcdef0123456789abcdef";
    assertThat(key.etag(md5, new byte[] {1})).isNotEqualTo(key.etag(md5, new byte[] {2}));
    assertThat(key.etag(md5, new byte[] {1}))
        .hasSize(32)
        .isNotEqualTo(other.etag(md5, new byte[] {1}));
  }

  /** A manifest record with a customer key check of another length, or inline, is corrupt. */
  @Test
  void hostileChecksAreCorrupt() {
    byte[] bucketKey = Aead.newKey();
    byte[] writeId = {1, 2, 3};
    for (byte[] check : new byte[][] {new byte[3], new byte[CustomerKey.CHECK_LENGTH + 1]}) {
      var m =
          new org.memos3.kv.manifest.Manifest(
              writeId,
              0,
              "e",
              1,
              Map.of(),
              Map.of(),
              null,
              null,
              new byte[32],
              null,
              0,
              java.util.List.of(),
              0,
              java.util.List.of(),
              check);
      byte[] sealed = m.seal(bucketKey, 7);
      assertThatThrownBy(() -> org.memos3.kv.manifest.Manifest.open(sealed, bucketKey, 7, writeId))
          .hasMessageContaining("customer key check");
    }
    var inline =
        new org.memos3.kv.manifest.Manifest(
            writeId,
            1,
            "e",
            1,
            Map.of(),
            Map.of(),
            null,
            null,
            new byte[32],
            new byte[] {9},
            0,
            java.util.List.of(),
            0,
            java.util.List.of(),
            key.newCheck());
    byte[] sealed = inline.seal(bucketKey, 7);
    assertThatThrownBy(() -> org.memos3.kv.manifest.Manifest.open(sealed, bucketKey, 7, writeId))
        .hasMessageContaining("customer key check");
  }
}
