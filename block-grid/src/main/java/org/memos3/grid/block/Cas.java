package org.memos3.grid.block;

/**
 * One compare-and-set of {@link org.memos3.grid.Grid#compareAndSetAll}, with the meaning of {@link
 * RecordTable#compareAndSet}: the record at ({@code group}, {@code key}) of {@code table} goes from
 * version {@code expectedVersion} (0: absent) to {@code value} (null: deleted).
 */
public record Cas(Table table, long group, byte[] key, long expectedVersion, byte[] value) {}
