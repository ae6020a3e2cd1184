package org.memos3.frontend.op;

import java.util.Map;

/** Registers the multipart upload handlers. */
final class MultipartHandlers {
  private MultipartHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {}
}
