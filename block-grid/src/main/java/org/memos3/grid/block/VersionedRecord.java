package org.memos3.grid.block;

/** A mutable record as read from a {@link RecordTable}: its key, CAS version and value. */
public record VersionedRecord(long group, byte[] key, long version, byte[] value) {}
