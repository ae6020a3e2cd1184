package org.memos3.auth;

import java.io.IOException;
import java.util.Objects;

/**
 * A rejected request: owns the {@link AuthError} and the message to send. It is a checked {@link
 * IOException} so that it can travel out of {@link java.io.InputStream#read()} when a payload fails
 * verification while it is streamed; callers catch it (also as the cause chain of other I/O
 * failures) and map {@link #error()} to the S3 error response.
 */
public class AuthException extends IOException {
  private static final long serialVersionUID = 1L;

  private final AuthError error;

  /** Creates an exception whose message is {@code error}'s default message. */
  public AuthException(AuthError error) {
    this(error, null);
  }

  /**
   * Creates an exception with a specific message; a null message means {@code error}'s default
   * message.
   */
  public AuthException(AuthError error, String message) {
    super(message != null ? message : Objects.requireNonNull(error, "error").defaultMessage());
    this.error = Objects.requireNonNull(error, "error");
  }

  /** Returns the S3 error this exception reports; never null. */
  public AuthError error() {
    return error;
  }
}
