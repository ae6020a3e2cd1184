/**
 * The value-store contracts: immutable content-addressed blocks ({@link
 * org.memos3.grid.block.BlockStore}) and mutable records updated only by exact-version
 * compare-and-set ({@link org.memos3.grid.block.RecordTable}).
 */
package org.memos3.grid.block;
