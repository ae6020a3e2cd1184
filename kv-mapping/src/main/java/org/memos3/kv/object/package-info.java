/**
 * Objects: streaming writes into chunks, the head CAS that commits them, reads with bounded
 * read-ahead, deletes.
 */
package org.memos3.kv.object;
