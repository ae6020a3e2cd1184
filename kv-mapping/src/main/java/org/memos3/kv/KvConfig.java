package org.memos3.kv;

/**
 * Limits of the key-value layer, in one place.
 *
 * @param chunkSize plaintext bytes per chunk
 * @param writeWindow chunk puts in flight per write
 * @param readWindow chunk reads ahead per read
 * @param inlineLimit bodies up to this size live inside the manifest
 * @param casRetries head CAS attempts before a hot key answers SlowDown
 * @param gcGraceMillis how long a replaced version's blocks stay (so GETs in flight finish)
 * @param sweepGraceMillis how long an unreferenced block must stay unreferenced before the sweep
 *     frees it (a write in progress has unreferenced blocks until its commit)
 */
public record KvConfig(
    int chunkSize,
    int writeWindow,
    int readWindow,
    int inlineLimit,
    int casRetries,
    long gcGraceMillis,
    long sweepGraceMillis) {
  public static KvConfig defaults() {
    return new KvConfig(1024 * 1024, 4, 3, 4096, 32, 10 * 60_000L, 24 * 3600_000L);
  }
}
