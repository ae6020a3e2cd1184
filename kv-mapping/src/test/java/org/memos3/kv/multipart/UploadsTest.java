package org.memos3.kv.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** The in-memory grid, whose GC queue refuses writes while {@code gcFails} is set. */
  private final Grid grid =
      new Grid() {
        public BlockStore blocks() {
          return real.blocks();
        }

        public boolean compareAndSetAll(List<Cas> ops) {
          return real.compareAndSetAll(ops);
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
}
