/**
 * S3 additional checksums and body integrity: the {@link
 * org.memos3.auth.checksum.ChecksumAlgorithm}s S3 supports (CRC32, CRC32C, CRC64NVME, SHA-1,
 * SHA-256) as incremental {@link org.memos3.auth.checksum.StreamingChecksum}s, the parsing and
 * consistency rules of the integrity headers ({@link org.memos3.auth.checksum.ChecksumRequest}),
 * and {@link org.memos3.auth.checksum.VerifyingInputStream}, which computes the MD5 ETag and the
 * requested checksum while the payload streams and compares them with what the client sent.
 */
package org.memos3.auth.checksum;
