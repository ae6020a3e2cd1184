package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;

class ObjectContentStreamTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
  private final ObjectStore store =
      new ObjectStore(grid, buckets, io, Clock.systemUTC(), new KvConfig(16, 3, 2, 64, 8, 0, 0));

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private static byte[] readAll(ObjectContentStream in, int buffer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[buffer];
    for (int n = in.read(b, 0, b.length); n >= 0; n = in.read(b, 0, b.length)) {
      assertThat(n).isPositive();
      out.write(b, 0, n);
    }
    assertThat(in.read()).isEqualTo(-1);
    return out.toByteArray();
  }

  @Test
  void streamsRangesAcrossChunkBoundariesWithAnyBufferSize() throws Exception {
    buckets.create("bk1", "root");
    for (int size : new int[] {0, 5, 64, 65, 1000}) {
      byte[] body = new byte[size];
      new Random(size).nextBytes(body);
      store.put("bk1", "k" + size, ObjectStoreTest.data(body), Conditions.NONE);
      StoredObject o = store.find("bk1", "k" + size).orElseThrow();
      for (int buffer : new int[] {1, 7, 16, 4096}) {
        try (ObjectContentStream in = new ObjectContentStream(store.open(o, 0, size))) {
          assertThat(readAll(in, buffer)).isEqualTo(body);
        }
        if (size > 10) {
          try (ObjectContentStream in = new ObjectContentStream(store.open(o, 3, size - 4))) {
            assertThat(readAll(in, buffer)).isEqualTo(Arrays.copyOfRange(body, 3, size - 4));
          }
        }
      }
    }
  }

  @Test
  void singleByteReadsAreUnsigned() throws Exception {
    buckets.create("bk2", "root");
    byte[] body = {(byte) 0xff, 0, 1};
    store.put("bk2", "k", ObjectStoreTest.data(body), Conditions.NONE);
    StoredObject o = store.find("bk2", "k").orElseThrow();
    try (ObjectContentStream in = new ObjectContentStream(store.open(o, 0, 3))) {
      assertThat(in.read()).isEqualTo(0xff);
      assertThat(in.read()).isEqualTo(0);
      assertThat(in.read()).isEqualTo(1);
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
