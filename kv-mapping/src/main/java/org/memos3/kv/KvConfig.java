package org.memos3.kv;

/**
 * Limits of the key-value layer, in one place.
 *
 * @param chunkSize plaintext bytes per chunk
 * @param writeWindow chunk puts in flight per write
 * @param readWindow chunk reads ahead per read
 * @param inlineLimit bodies up to this size live inside the manifest
 * @param casRetries head CAS attempts before a hot key answers SlowDown
 */
public record KvConfig(
    int chunkSize, int writeWindow, int readWindow, int inlineLimit, int casRetries) {
  public static KvConfig defaults() {
    return new KvConfig(1024 * 1024, 4, 3, 4096, 32);
  }
}
