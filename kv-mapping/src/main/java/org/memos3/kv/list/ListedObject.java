package org.memos3.kv.list;

/** One entry of a listing: what S3 shows of the current version of a key. */
public record ListedObject(String key, long size, String etag, long lastModified) {}
