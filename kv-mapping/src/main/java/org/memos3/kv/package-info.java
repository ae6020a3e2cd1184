/** kv-mapping: S3's buckets, keys, versions and listings over the block-grid value store. */
package org.memos3.kv;
