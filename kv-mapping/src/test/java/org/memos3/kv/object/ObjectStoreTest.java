package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.ListPage;

public class ObjectStoreTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(4);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private ObjectStore store(int chunkSize) {
    return new ObjectStore(
        grid, buckets, io, Clock.systemUTC(), new KvConfig(chunkSize, 3, 2, 64, 8, 0, 0));
  }

  public static ObjectData data(byte[] body) throws Exception {
    return data(body, -1);
  }

  /** A body whose declared length is {@code sizeHint} (which may be wrong). */
  static ObjectData data(byte[] body, long sizeHint) throws Exception {
    String etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    return new ObjectData() {
      public InputStream body() {
        return new ByteArrayInputStream(body);
      }

      public long sizeHint() {
        return sizeHint;
      }

      public String etag() {
        return etag;
      }

      public Optional<Map.Entry<String, String>> checksum() {
        return Optional.empty();
      }

      public Map<String, String> headers() {
        return Map.of("content-type", "text/plain");
      }

      public Map<String, String> userMetadata() {
        return Map.of("a", "b");
      }
    };
  }

  public static byte[] read(ObjectStore s, StoredObject o, long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectContent c = s.open(o, from, to)) {
      for (ObjectContent.Piece p = c.next(); p != null; p = c.next()) {
        out.write(p.bytes(), p.offset(), p.length());
        p.release();
      }
    }
    return out.toByteArray();
  }

  /**
   * Chunk arrays go back to the store's pool as their pieces are released and are reused by the
   * next reads: two interleaved readers, each piece compared before its release, and a reader
   * closed half-way, never see each other's bytes.
   */
  @Test
  void readersReuseReleasedChunkArraysWithoutSeeingEachOthersBytes() throws Exception {
    buckets.create("reuse", "root");
    ObjectStore s = store(4096);
    byte[] a = new byte[40_000];
    byte[] b = new byte[37_001];
    new Random(3).nextBytes(a);
    new Random(4).nextBytes(b);
    s.put("reuse", "a", data(a), Conditions.NONE);
    s.put("reuse", "b", data(b), Conditions.NONE);
    StoredObject oa = s.find("reuse", "a").orElseThrow();
    StoredObject ob = s.find("reuse", "b").orElseThrow();
    for (int round = 0; round < 3; round++) {
      try (ObjectContent half = s.open(oa, 0, a.length)) {
        half.next().release();
      }
      try (ObjectContent ca = s.open(oa, 5, a.length);
          ObjectContent cb = s.open(ob, 0, b.length - 3)) {
        int pa = 5;
        int pb = 0;
        for (ObjectContent.Piece x = ca.next(), y = cb.next();
            x != null || y != null;
            x = x == null ? null : ca.next(), y = y == null ? null : cb.next()) {
          if (x != null) {
            assertThat(java.util.Arrays.copyOfRange(x.bytes(), x.offset(), x.offset() + x.length()))
                .isEqualTo(java.util.Arrays.copyOfRange(a, pa, pa + x.length()));
            pa += x.length();
            x.release();
          }
          if (y != null) {
            assertThat(java.util.Arrays.copyOfRange(y.bytes(), y.offset(), y.offset() + y.length()))
                .isEqualTo(java.util.Arrays.copyOfRange(b, pb, pb + y.length()));
            pb += y.length();
            y.release();
          }
        }
        assertThat(pa).isEqualTo(a.length);
        assertThat(pb).isEqualTo(b.length - 3);
      }
    }
  }

  /**
   * A small manifest rides in its head, so a small PUT writes one record; a manifest of many chunk
   * refs gets a block of its own. Both read back whole.
   */
  /**
   * {@code tryCommit} makes one CAS attempt and reports a lost one without waiting; {@code commit}
   * retries (with back-off) until it wins or gives up with SlowDown.
   */
  @Test
  void tryCommitReportsALostCasAndCommitRetriesIt() throws Exception {
    java.util.concurrent.atomic.AtomicInteger writesInBetween =
        new java.util.concurrent.atomic.AtomicInteger();
    org.memos3.grid.Grid racing =
        new org.memos3.grid.Grid() {
          public org.memos3.grid.block.BlockStore blocks() {
            return grid.blocks();
          }

          public boolean compareAndSetAll(List<org.memos3.grid.block.Cas> ops) {
            return grid.compareAndSetAll(ops);
          }

          public org.memos3.grid.block.RecordTable table(org.memos3.grid.block.Table t) {
            org.memos3.grid.block.RecordTable real = grid.table(t);
            if (t != org.memos3.grid.block.Table.HEADS) {
              return real;
            }
            return new org.memos3.grid.block.RecordTable() {
              public Optional<org.memos3.grid.block.VersionedRecord> get(long g, byte[] k) {
                return real.get(g, k);
              }

              public org.memos3.grid.block.CasResult compareAndSet(
                  long g, byte[] k, long expected, byte[] value) {
                if (writesInBetween.getAndDecrement() > 0) {
                  // another writer's CAS lands between this one's read and its CAS
                  var cur = real.get(g, k).orElseThrow();
                  real.compareAndSet(g, k, cur.version(), cur.value());
                }
                return real.compareAndSet(g, k, expected, value);
              }

              public List<org.memos3.grid.block.VersionedRecord> range(
                  long g, byte[] from, byte[] to, int limit) {
                return real.range(g, from, to, limit);
              }

              public long size() {
                return real.size();
              }
            };
          }

          public boolean ready() {
            return true;
          }

          public void close() {}
        };
    buckets.create("race", "root");
    ObjectStore s =
        new ObjectStore(
            racing, buckets, io, Clock.systemUTC(), new KvConfig(1024, 3, 2, 64, 8, 0, 0));
    ObjectData first = data("first".getBytes());
    s.put("race", "k", first, Conditions.NONE);
    org.memos3.kv.bucket.Bucket b = buckets.require("race");
    ObjectData second = data("second".getBytes());
    ObjectHead h = s.newVersion(b, s.storeData(b, second, 0), Map.of());

    writesInBetween.set(1);
    assertThat(s.tryCommit(b, "k", h, Conditions.NONE)).isFalse();
    assertThat(s.find("race", "k").orElseThrow().head().etag()).isEqualTo(first.etag());

    writesInBetween.set(2);
    s.commit(b, "k", h, Conditions.NONE); // loses twice, then wins
    assertThat(s.find("race", "k").orElseThrow().head().etag()).isEqualTo(second.etag());
    assertThat(
            s.tryCommit(
                b, "k", s.newVersion(b, s.storeData(b, first, 0), Map.of()), Conditions.NONE))
        .isTrue();

    writesInBetween.set(100);
    ObjectHead last = s.newVersion(b, s.storeData(b, second, 0), Map.of());
    assertThatThrownBy(() -> s.commit(b, "k", last, Conditions.NONE))
        .isInstanceOfSatisfying(
            KvException.class, e -> assertThat(e.reason()).isEqualTo(KvException.Reason.SLOW_DOWN));
    assertThat(s.find("race", "k").orElseThrow().head().etag()).isEqualTo(first.etag());
  }

  /**
   * The size hint only sizes the first buffer: bodies shorter or longer than declared, inline or
   * chunked, are stored whole.
   */
  @Test
  void aWrongSizeHintChangesNothingStored() throws Exception {
    buckets.create("hint", "root");
    ObjectStore s = store(4096);
    Random r = new Random(5);
    int[] sizes = {0, 10, 1024, 1025, 4095, 4096, 4097, 9000, 20_000};
    long[] hints = {0, 1, 17, 1024, 4096, 100_000};
    for (int size : sizes) {
      for (long hint : hints) {
        byte[] body = new byte[size];
        r.nextBytes(body);
        String key = size + "-" + hint;
        s.put("hint", key, data(body, hint), Conditions.NONE);
        StoredObject o = s.find("hint", key).orElseThrow();
        assertThat(o.manifest().size()).isEqualTo(size);
        assertThat(read(s, o, 0, size)).isEqualTo(body);
      }
    }
  }

  /** One chunk, and only one, makes a one-chunk manifest: neither inline bodies nor two chunks. */
  @Test
  void aBodyOfOneChunkIsOneChunk() throws Exception {
    buckets.create("one", "root");
    ObjectStore s = store(4096);
    s.put("one", "inline", data(new byte[10]), Conditions.NONE);
    s.put("one", "one", data(new byte[4096]), Conditions.NONE);
    s.put("one", "two", data(new byte[4097]), Conditions.NONE);
    assertThat(s.find("one", "inline").orElseThrow().manifest().isOneChunk()).isFalse();
    assertThat(s.find("one", "one").orElseThrow().manifest().isOneChunk()).isTrue();
    assertThat(s.find("one", "two").orElseThrow().manifest().isOneChunk()).isFalse();
  }

  @Test
  void smallManifestsAreEmbeddedInTheirHeads() throws Exception {
    buckets.create("embed", "root");
    ObjectStore s = store(1024);
    byte[] tiny = "tiny body".getBytes();
    ObjectHead t = s.put("embed", "tiny", data(tiny), Conditions.NONE);
    assertThat(t.manifest()).isInstanceOf(org.memos3.kv.manifest.ManifestRef.Embedded.class);
    assertThat(grid.blocks().count()).isZero();
    byte[] small = new byte[3000];
    new Random(1).nextBytes(small);
    ObjectHead h = s.put("embed", "small", data(small), Conditions.NONE);
    assertThat(h.manifest()).isInstanceOf(org.memos3.kv.manifest.ManifestRef.Embedded.class);
    assertThat(grid.blocks().count()).isEqualTo(3); // its chunks only
    byte[] big = new byte[300 * 1024];
    new Random(2).nextBytes(big);
    ObjectHead b = s.put("embed", "big", data(big), Conditions.NONE);
    assertThat(b.manifest()).isInstanceOf(org.memos3.kv.manifest.ManifestRef.Stored.class);
    assertThat(grid.blocks().count()).isEqualTo(3 + 300 + 1);
    for (var e : Map.of("tiny", tiny, "small", small, "big", big).entrySet()) {
      StoredObject o = s.find("embed", e.getKey()).orElseThrow();
      assertThat(read(s, o, 0, o.head().size())).isEqualTo(e.getValue());
      assertThat(o.manifest().userMetadata()).containsEntry("a", "b");
    }
  }

  @Test
  void roundTripsSizesAcrossInlineChunkedAndTreeManifests() throws Exception {
    buckets.create("bk1", "root");
    ObjectStore s = store(16);
    Random rnd = new Random(1);
    // 20,000 bytes in 16-byte chunks = 1,250 chunks: more than one manifest fan-out (1,024).
    for (int size : new int[] {0, 1, 64, 65, 16, 17, 20_000}) {
      byte[] body = new byte[size];
      StoredObject o = putAndReadBack(s, "bk1", body, rnd);
      if (size > 10) {
        assertThat(read(s, o, 3, size - 5))
            .isEqualTo(java.util.Arrays.copyOfRange(body, 3, size - 5));
      }
    }
    assertThat(s.find("bk1", "k20000").orElseThrow().manifest().depth()).isEqualTo(1);
  }

  @Test
  void roundTripsSizesAroundTheGrowingFirstBufferWithMiBChunks() throws Exception {
    buckets.create("bk2", "root");
    ObjectStore s = store(1024 * 1024);
    Random rnd = new Random(2);
    int k = 1024;
    // The first buffer holds 64 KiB + 1 and doubles up to the chunk size.
    for (int size :
        new int[] {
          64 * k,
          64 * k + 1,
          64 * k + 2,
          128 * k + 2,
          128 * k + 3,
          1024 * k - 1,
          1024 * k,
          1024 * k + 1,
          3 * 1024 * k + 5
        }) {
      putAndReadBack(s, "bk2", new byte[size], rnd);
    }
  }

  /** Fills {@code body} at random, stores it as key "k" + its size, and checks it reads back. */
  private static StoredObject putAndReadBack(ObjectStore s, String bucket, byte[] body, Random rnd)
      throws Exception {
    rnd.nextBytes(body);
    s.put(bucket, "k" + body.length, data(body), Conditions.NONE);
    StoredObject o = s.find(bucket, "k" + body.length).orElseThrow();
    assertThat(o.head().size()).isEqualTo(body.length);
    assertThat(read(s, o, 0, body.length)).isEqualTo(body);
    return o;
  }

  @Test
  void swappedChunksFailToDecrypt() throws Exception {
    buckets.create("bk2", "root");
    ObjectStore s = store(16);
    byte[] body = new byte[64];
    new Random(2).nextBytes(body);
    s.put("bk2", "k", data(body), Conditions.NONE);
    StoredObject o = s.find("bk2", "k").orElseThrow();
    BlockAddress a0 = o.manifest().refs().get(0).address();
    BlockAddress a1 = o.manifest().refs().get(1).address();
    byte[] c1 = grid.blocks().get(a1).orElseThrow();
    grid.corrupt(a0, c1);
    assertThatThrownBy(() -> read(s, o, 0, 64))
        .isInstanceOf(GridException.class)
        .extracting(e -> ((GridException) e).reason())
        .isEqualTo(GridException.Reason.CORRUPT_BLOCK);
  }

  @Test
  void listsWithPrefixDelimiterAndPaging() throws Exception {
    buckets.create("bk3", "root");
    ObjectStore s = store(1024);
    for (String k : List.of("a/1", "a/2", "b", "c/x/1", "c/y", "d", "\u00e9", "\ud83d\ude00")) {
      s.put("bk3", k, data(k.getBytes()), Conditions.NONE);
    }
    ListPage all = s.list("bk3", "", null, null, 1000);
    assertThat(all.objects())
        .extracting(o -> o.key())
        .containsExactly("a/1", "a/2", "b", "c/x/1", "c/y", "d", "\u00e9", "\ud83d\ude00");
    ListPage rolled = s.list("bk3", "", "/", null, 1000);
    assertThat(rolled.commonPrefixes()).containsExactly("a/", "c/");
    assertThat(rolled.objects())
        .extracting(o -> o.key())
        .containsExactly("b", "d", "\u00e9", "\ud83d\ude00");
    ListPage p1 = s.list("bk3", "", "/", null, 2);
    assertThat(p1.commonPrefixes()).containsExactly("a/");
    assertThat(p1.objects()).extracting(o -> o.key()).containsExactly("b");
    assertThat(p1.truncated()).isTrue();
    ListPage p2 = s.list("bk3", "", "/", p1.nextMarker(), 2);
    assertThat(p2.commonPrefixes()).containsExactly("c/");
    assertThat(p2.objects()).extracting(o -> o.key()).containsExactly("d");
    ListPage inC = s.list("bk3", "c/", "/", null, 1000);
    assertThat(inC.commonPrefixes()).containsExactly("c/x/");
    assertThat(inC.objects()).extracting(o -> o.key()).containsExactly("c/y");
  }

  @Test
  void conditionsAndDeletes() throws Exception {
    buckets.create("bk4", "root");
    ObjectStore s = store(1024);
    s.put("bk4", "k", data(new byte[] {1}), new Conditions(null, true));
    assertThatThrownBy(() -> s.put("bk4", "k", data(new byte[] {2}), new Conditions(null, true)))
        .isInstanceOf(KvException.class)
        .extracting(e -> ((KvException) e).reason())
        .isEqualTo(KvException.Reason.PRECONDITION_FAILED);
    assertThatThrownBy(() -> buckets.delete("bk4"))
        .extracting(e -> ((KvException) e).reason())
        .isEqualTo(KvException.Reason.BUCKET_NOT_EMPTY);
    s.delete("bk4", "k");
    s.delete("bk4", "k");
    assertThat(s.find("bk4", "k")).isEmpty();
    buckets.delete("bk4");
    assertThat(buckets.find("bk4")).isEmpty();
  }
}
