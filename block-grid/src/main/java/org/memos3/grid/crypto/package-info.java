/**
 * Encryption of everything that reaches the grid: AES-256-GCM sealing with associated data, and the
 * master key that wraps bucket keys (which in turn wrap per-version data keys). Also the TLS
 * identities read from PEM files, for the S3 endpoint and for the links between grid nodes.
 */
package org.memos3.grid.crypto;
