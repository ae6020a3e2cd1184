/**
 * Listing: key ranges in unsigned byte order over the sorted index of heads, with delimiter roll-up
 * that seeks past each common prefix instead of reading its keys.
 */
package org.memos3.kv.list;
