package org.memos3.auth;

import java.io.IOException;
import java.io.InputStream;

/**
 * A body stream that checks what passes through it. Subclasses implement {@link #readChecked}; this
 * class keeps the state every such stream needs: once a read failed with an {@link AuthException},
 * every later read throws that same exception, and once the end was reached (and checked), every
 * later read returns -1. Not thread-safe.
 */
public abstract class CheckedInputStream extends InputStream {
  private boolean done;
  private AuthException failure;

  /**
   * Reads up to {@code len > 0} bytes, checking them; returns -1 at the end, once the end itself
   * checked out. Throws an {@link AuthException} for a check that failed.
   */
  protected abstract int readChecked(byte[] b, int off, int len) throws IOException;

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    try {
      int n = readChecked(b, off, len);
      if (n < 0) {
        done = true;
      }
      return n;
    } catch (AuthException e) {
      failure = e;
      throw e;
    }
  }

  /** True after the end was reached or a check failed: nothing more to read. */
  protected final boolean finished() {
    return done || failure != null;
  }
}
