/**
 * Encryption of everything that reaches the grid: AES-256-GCM sealing with associated data, and the
 * master key that wraps bucket keys (which in turn wrap per-version data keys).
 */
package org.memos3.grid.crypto;
