/**
 * Garbage collection: the reaper of retired manifests (fast path) and the sweep of blocks that
 * nothing references (after crashes between writing data and committing a head).
 */
package org.memos3.kv.gc;
