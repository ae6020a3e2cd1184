package org.memos3.kv.list;

import java.util.List;

/**
 * One page of a listing, in key order. {@code nextMarker} is the last key or common prefix returned
 * (the point to continue after) when {@code truncated}.
 */
public record ListPage(
    List<ListedObject> objects,
    List<String> commonPrefixes,
    boolean truncated,
    String nextMarker) {}
