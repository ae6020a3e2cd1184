package org.memos3.kv.manifest;

import org.memos3.grid.block.BlockAddress;

/**
 * A reference from a manifest to a block: a data chunk (depth 0) or an index block of chunk refs
 * (depth 1), with the plaintext bytes it covers.
 */
public record ChunkRef(BlockAddress address, long plainLength) {}
