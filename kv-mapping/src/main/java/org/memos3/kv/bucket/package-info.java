/** Bucket records: names, ids, owners, versioning state and wrapped bucket keys. */
package org.memos3.kv.bucket;
