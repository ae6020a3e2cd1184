package org.memos3.kv.object;

import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.manifest.Manifest;

/** A committed object version as read: its bucket, key, head and decrypted manifest. */
public record StoredObject(Bucket bucket, String key, ObjectHead head, Manifest manifest) {}
