package org.memos3.grid.ignite;

import java.io.IOException;
import org.memos3.grid.GridException;

/** Translates Ignite's exceptions into {@link GridException} once, at this package's boundary. */
final class IgniteErrors {
  private IgniteErrors() {}

  static GridException translate(RuntimeException e) {
    if (e instanceof GridException g) {
      return g;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io
          && io.getMessage() != null
          && io.getMessage().contains("No space left")) {
        return new GridException(GridException.Reason.NO_SPACE, "grid storage is full", e);
      }
      if (t instanceof org.apache.ignite.internal.mem.IgniteOutOfMemoryException) {
        return new GridException(GridException.Reason.NO_SPACE, "grid memory is full", e);
      }
    }
    return new GridException(
        GridException.Reason.UNAVAILABLE, "grid unavailable: " + e.getClass().getSimpleName(), e);
  }

  /** The message of the innermost cause (Ignite wraps its reasons several levels deep). */
  static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.getMessage() == null ? r.toString() : r.getMessage();
  }
}
