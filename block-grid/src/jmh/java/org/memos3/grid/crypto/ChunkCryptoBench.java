package org.memos3.grid.crypto;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-chunk CPU of a PUT and a GET: AES-256-GCM seal and open of one chunk, and its address
 * (computed on put; a GET's check is the AES-GCM tag, a scrub checks the address). {@link #address}
 * is a chunk's summary address (CRC32C of the sealed bytes, SHA-256 of their ends), {@link
 * #fullSha256Address} the whole-block SHA-256 that manifests use and chunks used before. Throughput
 * is in chunks per second; multiply by the chunk size for bytes. The setup runs {@link
 * Aead#warmUp()} as the server does at start: without it the short runs of {@code bench/jmh.sh}
 * measure Java 17's interpreted AES-GCM (about 40-60 chunks/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkCryptoBench {
  @Param({"1048576"})
  int chunkBytes;

  byte[] key;
  byte[] aad;
  byte[] plain;
  byte[] sealed;
  BlockAddress address;

  @Setup
  public void setUp() {
    Aead.warmUp();
    key = Aead.newKey();
    aad = Aead.aad("chunk", 1, 2, 3, 4);
    plain = new byte[chunkBytes];
    new Random(1).nextBytes(plain);
    sealed = Aead.seal(key, aad, plain);
    address = BlockAddress.of(BlockType.CHUNK, sealed);
  }

  @Benchmark
  public byte[] seal() {
    return Aead.seal(key, aad, plain);
  }

  @Benchmark
  public byte[] open() {
    return Aead.open(key, aad, sealed);
  }

  @Benchmark
  public BlockAddress address() {
    return BlockAddress.of(BlockType.CHUNK, sealed);
  }

  @Benchmark
  public BlockAddress fullSha256Address() {
    return BlockAddress.of(BlockType.MANIFEST, sealed);
  }

  /** What a PUT does per chunk (besides the body's MD5): seal, then address the sealed bytes. */
  @Benchmark
  public BlockAddress sealAndAddress() {
    return BlockAddress.of(BlockType.CHUNK, Aead.seal(key, aad, plain));
  }

  /** What a read that looks for a good copy does per chunk: check the address, then open. */
  @Benchmark
  public byte[] verifyAndOpen() {
    if (!address.matches(sealed)) {
      throw new IllegalStateException("address mismatch");
    }
    return Aead.open(key, aad, sealed);
  }
}
