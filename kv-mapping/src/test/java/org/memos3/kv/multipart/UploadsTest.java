package org.memos3.kv.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/** Multipart completion when the commit fails after its head CAS. */
class UploadsTest {
  private final InMemoryGrid real = new InMemoryGrid();
  private final AtomicBoolean gcFails = new AtomicBoolean();

  /** Run once, right before (after) the completion's commit step: what races with it. */
  private final AtomicReference<Runnable> beforeCompletionCommit = new AtomicReference<>();

  private final AtomicReference<Runnable> afterCompletionCommit = new AtomicReference<>();

  private static Runnable take(AtomicReference<Runnable> hook) {
    Runnable r = hook.getAndSet(null);
    return r == null ? () -> {} : r;
  }

  /** The in-memory grid, whose GC queue refuses writes while {@code gcFails} is set. */
  private final Grid grid =
      new Grid() {
        public BlockStore blocks() {
          return real.blocks();
        }

        public boolean compareAndSetAll(List<Cas> ops) {
          boolean completion = ops.stream().anyMatch(c -> c.table() == Table.UPLOADS);
          if (completion) {
            take(beforeCompletionCommit).run();
          }
          boolean applied = real.compareAndSetAll(ops);
          if (completion) {
            take(afterCompletionCommit).run();
          }
          return applied;
        }

        public RecordTable table(Table t) {
          RecordTable table = real.table(t);
          if (t != Table.GC) {
            return table;
          }
          return new RecordTable() {
            public Optional<VersionedRecord> get(long g, byte[] k) {
              return table.get(g, k);
            }

            public CasResult compareAndSet(long g, byte[] k, long expected, byte[] value) {
              if (gcFails.get()) {
                throw new GridException(GridException.Reason.UNAVAILABLE, "GC queue unavailable");
              }
              return table.compareAndSet(g, k, expected, value);
            }

            public List<VersionedRecord> range(long g, byte[] from, byte[] to, int limit) {
              return table.range(g, from, to, limit);
            }

            public long size() {
              return table.size();
            }
          };
        }

        public boolean ready() {
          return true;
        }

        public void close() {}
      };

  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
  private final ObjectStore objects =
      new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());
  private final Uploads uploads = new Uploads(grid, buckets, objects, Clock.systemUTC());

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  /**
   * The head CAS lands, then retiring the version it replaced fails: the completion answers with
   * the object it committed and the upload is gone, so no abort can free the parts the object uses
   * (it used to go back to live).
   */
  @Test
  void aCompletionWhoseCommitFailsAfterItsHeadCasKeepsTheObject() throws Exception {
    buckets.create("mp-bucket", "root");
    objects.put("mp-bucket", "k", ObjectStoreTest.data(new byte[9000]), Conditions.NONE);
    Upload u = uploads.create("mp-bucket", "k", Map.of(), Map.of(), "root");
    byte[] body = new byte[7000];
    body[0] = 7;
    Part p = uploads.uploadPart("mp-bucket", "k", u.uploadId(), 1, ObjectStoreTest.data(body));

    gcFails.set(true);
    var head =
        uploads.complete(
            "mp-bucket",
            "k",
            u.uploadId(),
            List.of(new Uploads.CompletedPart(1, p.etag())),
            Conditions.NONE);
    gcFails.set(false);

    assertThat(head.size()).isEqualTo(7000);
    assertThatThrownBy(() -> uploads.abort("mp-bucket", "k", u.uploadId()))
        .isInstanceOfSatisfying(
            KvException.class,
            e -> assertThat(e.reason()).isEqualTo(KvException.Reason.NO_SUCH_UPLOAD));
    var current = objects.findVersion("mp-bucket", "k", null).orElseThrow();
    assertThat(ObjectStoreTest.read(objects, current.object(), 0, 7000)).isEqualTo(body);
  }

  /** Write ids waiting for the reaper (GC key: due time, then write id). */
  private Set<String> retired() {
    Set<String> out = new HashSet<>();
    for (VersionedRecord r : real.table(Table.GC).range(0, new byte[0], null, 100_000)) {
      out.add(HexFormat.of().formatHex(r.key(), 8, r.key().length));
    }
    return out;
  }

  private Part startWithOnePart(String key, byte[] body) throws Exception {
    buckets.create("mp-bucket", "root");
    Upload u = uploads.create("mp-bucket", key, Map.of(), Map.of(), "root");
    uploadId = u.uploadId();
    return uploads.uploadPart("mp-bucket", key, uploadId, 1, ObjectStoreTest.data(body));
  }

  private String uploadId;

  private Object complete(String key, Part p) {
    return uploads.complete(
        "mp-bucket",
        key,
        uploadId,
        List.of(new Uploads.CompletedPart(1, p.etag())),
        Conditions.NONE);
  }

  private void abort(String key) {
    try {
      uploads.abort("mp-bucket", key, uploadId);
    } catch (KvException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An abort between the completing mark and the commit: the completion fails, nothing lands. */
  @Test
  void anAbortBeforeTheCommitFailsTheCompletion() throws Exception {
    Part p = startWithOnePart("k", new byte[6000]);
    beforeCompletionCommit.set(() -> abort("k"));
    assertThatThrownBy(() -> complete("k", p))
        .isInstanceOfSatisfying(
            KvException.class,
            e -> assertThat(e.reason()).isEqualTo(KvException.Reason.NO_SUCH_UPLOAD));
    assertThat(objects.find("mp-bucket", "k")).isEmpty();
    assertThat(retired()).contains(HexFormat.of().formatHex(p.writeId()));
  }

  /**
   * An abort right after the commit: the object keeps its part (it used to be freed with the
   * upload), and the completion still answers with the object.
   */
  @Test
  void anAbortAfterTheCommitKeepsTheObjectsParts() throws Exception {
    byte[] body = new byte[6000];
    body[1] = 9;
    Part p = startWithOnePart("k", body);
    afterCompletionCommit.set(() -> abort("k"));
    complete("k", p);
    assertThat(retired()).doesNotContain(HexFormat.of().formatHex(p.writeId()));
    var current = objects.findVersion("mp-bucket", "k", null).orElseThrow();
    assertThat(ObjectStoreTest.read(objects, current.object(), 0, 6000)).isEqualTo(body);
  }

  /**
   * A PUT landing between the commit and the clean-up, in a versioned bucket: the completed
   * version, now noncurrent, keeps its part (the clean-up used to look at the current version
   * only).
   */
  @Test
  void aNoncurrentCompletedVersionKeepsItsParts() throws Exception {
    Part p = startWithOnePart("k", new byte[6000]);
    buckets.setVersioning("mp-bucket", org.memos3.kv.bucket.Versioning.ENABLED);
    afterCompletionCommit.set(
        () -> {
          try {
            objects.put("mp-bucket", "k", ObjectStoreTest.data(new byte[5000]), Conditions.NONE);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    complete("k", p);
    assertThat(retired()).doesNotContain(HexFormat.of().formatHex(p.writeId()));
    assertThat(objects.listVersions("mp-bucket", "k", null, null, null, 10).versions()).hasSize(2);
  }
}
