package org.memos3.frontend.op;

import java.util.Map;

/**
 * Where a request goes: the operation, the bucket and key (decoded; null when absent) and the
 * decoded query parameters.
 */
public record Route(S3Operation operation, String bucket, String key, Map<String, String> query) {
  public String resource() {
    return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
  }
}
