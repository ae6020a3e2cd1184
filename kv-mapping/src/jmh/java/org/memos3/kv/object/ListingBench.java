package org.memos3.kv.object;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.ListPage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ListObjects over the in-memory grid: the listing logic itself (range scans, head decryption,
 * delimiter roll-up) without Ignite. 20,000 keys in 100 "directories" of 200; a page is 1,000 keys.
 * Pages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ListingBench {
  static final String BUCKET = "bench";

  ExecutorService io;
  ObjectStore store;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InMemoryGrid grid = new InMemoryGrid();
    io = Executors.newFixedThreadPool(2);
    Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
    buckets.create(BUCKET, "root");
    store = new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());
    for (int d = 0; d < 100; d++) {
      for (int f = 0; f < 200; f++) {
        store.put(BUCKET, String.format("dir%03d/file%05d", d, f), empty(), Conditions.NONE);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    io.shutdownNow();
  }

  /** A page of 1,000 keys from the middle of the bucket. */
  @Benchmark
  public ListPage flatPage() {
    return store.list(BUCKET, "", null, "dir050/file00000", 1000);
  }

  /** The 100 common prefixes of the bucket (one seek per prefix). */
  @Benchmark
  public ListPage delimiterPage() {
    return store.list(BUCKET, "", "/", null, 1000);
  }

  /** One directory's 200 keys under a prefix. */
  @Benchmark
  public ListPage prefixPage() {
    return store.list(BUCKET, "dir042/", "/", null, 1000);
  }

  private static ObjectData empty() {
    return new ObjectData() {
      @Override
      public InputStream body() {
        return new ByteArrayInputStream(new byte[0]);
      }

      @Override
      public String etag() {
        return "d41d8cd98f00b204e9800998ecf8427e";
      }

      @Override
      public Optional<Map.Entry<String, String>> checksum() {
        return Optional.empty();
      }

      @Override
      public Map<String, String> headers() {
        return Map.of();
      }

      @Override
      public Map<String, String> userMetadata() {
        return Map.of();
      }
    };
  }
}
