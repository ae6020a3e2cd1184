package org.memos3.frontend.op;

import java.util.Map;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/** Registers the multipart upload handlers and holds what they share. */
final class MultipartHandlers {
  private MultipartHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(S3Operation.CREATE_MULTIPART_UPLOAD, new CreateMultipartUploadHandler(s));
    handlers.put(S3Operation.UPLOAD_PART, new UploadPartHandler(s));
    handlers.put(S3Operation.UPLOAD_PART_COPY, new UploadPartCopyHandler(s));
    handlers.put(S3Operation.COMPLETE_MULTIPART_UPLOAD, new CompleteMultipartUploadHandler(s));
    handlers.put(S3Operation.ABORT_MULTIPART_UPLOAD, new AbortMultipartUploadHandler(s));
    handlers.put(S3Operation.LIST_PARTS, new ListPartsHandler(s));
    handlers.put(S3Operation.LIST_MULTIPART_UPLOADS, new ListMultipartUploadsHandler(s));
  }

  static String uploadId(Call call) {
    return call.query("uploadId")
        .filter(u -> !u.isEmpty())
        .orElseThrow(() -> new S3ErrorException(S3ErrorCode.NO_SUCH_UPLOAD));
  }

  /** A bounded integer query parameter, S3's InvalidArgument otherwise. */
  static int intParam(Call call, String name, int dflt, int min, int max) {
    return intValue(name, call.query(name).orElse(null), dflt, min, max);
  }

  /**
   * The bounded integer {@code v} of the parameter or header {@code name} ({@code dflt} when
   * absent), S3's InvalidArgument naming it and the value otherwise.
   */
  static int intValue(String name, String v, int dflt, int min, int max) {
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new S3ErrorException(
            S3ErrorCode.INVALID_ARGUMENT,
            name.equals("partNumber")
                ? "Part number must be an integer between 1 and 10000, inclusive"
                : "Provided " + name + " not an integer or within integer range")
        .with("ArgumentName", name)
        .with("ArgumentValue", v);
  }
}
