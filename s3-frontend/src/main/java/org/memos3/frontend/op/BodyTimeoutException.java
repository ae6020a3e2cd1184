package org.memos3.frontend.op;

import java.io.IOException;

/** The client stopped sending a request body within the timeout: S3's RequestTimeout. */
public final class BodyTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyTimeoutException() {
    super("request body timed out");
  }
}
