package org.memos3.kv.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Manifest encode + seal (the end of every PUT) and open + decode (the start of every GET), for an
 * object of {@code chunks} 1 MiB chunks: 1 (a small object), 256 (256 MiB) and 1,024 (a full
 * manifest, 1 GiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ManifestBench {
  @Param({"1", "256", "1024"})
  int chunks;

  byte[] bucketKey;
  Manifest manifest;
  byte[] sealed;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    bucketKey = Aead.newKey();
    byte[] writeId = new byte[16];
    r.nextBytes(writeId);
    List<ChunkRef> refs = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      byte[] a = new byte[64];
      r.nextBytes(a);
      refs.add(new ChunkRef(BlockAddress.of(BlockType.CHUNK, a), 1024 * 1024));
    }
    manifest =
        new Manifest(
            writeId,
            chunks * 1024L * 1024,
            "9e107d9d372bb6826bd81d3542a419d6",
            1_700_000_000_000L,
            Map.of("content-type", "application/octet-stream"),
            Map.of("owner", "alice"),
            null,
            null,
            Aead.newKey(),
            null,
            1,
            refs,
            0,
            List.of());
    sealed = manifest.seal(bucketKey, 42);
  }

  @Benchmark
  public byte[] encodeAndSeal() {
    return manifest.seal(bucketKey, 42);
  }

  @Benchmark
  public Manifest openAndDecode() {
    return Manifest.open(sealed, bucketKey, 42, manifest.writeId());
  }
}
