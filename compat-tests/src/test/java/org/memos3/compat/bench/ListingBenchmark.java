package org.memos3.compat.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.memos3.frontend.GridNode;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;
import org.memos3.kv.KvConfig;
import org.memos3.kv.list.ListPage;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectData;
import org.memos3.kv.object.ObjectStore;

/**
 * Listing at scale on a real persistent Ignite node: inserts N keys (default 1,000,000) through the
 * kv-mapping API in 1,000 "directories", then times the first page, a middle page by start-after,
 * and a delimiter listing over the 1,000 prefixes. Prints figures; asserts nothing. Run with {@code
 * bench/listing.sh [N]}.
 */
public final class ListingBenchmark {
  private ListingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("memo-s3-listing-bench");
    GridConfig d = GridConfig.forTests(dir, LocalPorts.free(), LocalPorts.free());
    GridConfig cfg =
        new GridConfig(
            dir,
            d.host(),
            d.discoveryPort(),
            d.communicationPort(),
            List.of(),
            1024 * GridConfig.MIB,
            GridConfig.WalMode.LOG_ONLY,
            (int) (64 * GridConfig.MIB),
            2,
            512 * GridConfig.MIB,
            16384,
            256,
            1,
            60_000,
            180_000,
            true,
            null);
    ExecutorService io = Executors.newFixedThreadPool(8);
    try (GridNode node = GridNode.open(cfg, null)) {
      ObjectStore store =
          new ObjectStore(node.grid(), node.buckets(), io, Clock.systemUTC(), KvConfig.defaults());
      node.buckets().create("bench", "root");
      long t0 = System.nanoTime();
      ExecutorService writers = Executors.newFixedThreadPool(8);
      AtomicLong done = new AtomicLong();
      List<Future<?>> fs = new ArrayList<>();
      int perDir = Math.max(1, n / 1000);
      for (int w = 0; w < 8; w++) {
        int worker = w;
        fs.add(
            writers.submit(
                () -> {
                  for (int i = worker; i < n; i += 8) {
                    String key = String.format("dir%04d/file%07d", i / perDir, i);
                    store.put("bench", key, empty(), Conditions.NONE);
                    long c = done.incrementAndGet();
                    if (c % 100_000 == 0) {
                      System.out.printf(
                          "  inserted %,d keys (%.0f s)%n", c, (System.nanoTime() - t0) / 1e9);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      writers.shutdown();
      double insertS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("inserted %,d keys in %.1f s (%.0f keys/s)%n", n, insertS, n / insertS);
      String middle = String.format("dir%04d/file%07d", 500, 500 * perDir);
      for (int round = 0; round < 3; round++) {
        long a = System.nanoTime();
        ListPage first = store.list("bench", "", null, null, 1000);
        long b = System.nanoTime();
        ListPage mid = store.list("bench", "", null, middle, 1000);
        long c = System.nanoTime();
        ListPage prefixes = store.list("bench", "", "/", null, 1000);
        long e = System.nanoTime();
        System.out.printf(
            "round %d: first page %d keys %.1f ms | middle page (start-after) %d keys %.1f ms |"
                + " delimiter listing %d prefixes %.1f ms%n",
            round,
            first.objects().size(),
            (b - a) / 1e6,
            mid.objects().size(),
            (c - b) / 1e6,
            prefixes.commonPrefixes().size(),
            (e - c) / 1e6);
      }
    } finally {
      io.shutdownNow();
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
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
