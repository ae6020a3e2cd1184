package org.memos3.kv.object;

import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes of an {@link ObjectContent} as an {@link InputStream}, so that a stored object (or a
 * range of it) can be the body of a new write, as CopyObject and UploadPartCopy need. Holds at most
 * the current piece; the content's own read-ahead bounds the rest. Does not verify anything beyond
 * what {@link ObjectContent} checks (address and GCM tag of every chunk), and owns the content:
 * {@link #close()} closes it. Single consumer; reads block on the grid and throw its unchecked
 * exceptions.
 */
public final class ObjectContentStream extends InputStream {
  private final ObjectContent content;
  private ObjectContent.Piece piece;
  private int used;
  private boolean eof;

  public ObjectContentStream(ObjectContent content) {
    this.content = content;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (piece == null || used == piece.length()) {
      if (eof) {
        return -1;
      }
      if (piece != null) {
        piece.release();
      }
      piece = content.next();
      used = 0;
      if (piece == null) {
        eof = true;
        return -1;
      }
    }
    int n = Math.min(len, piece.length() - used);
    System.arraycopy(piece.bytes(), piece.offset() + used, b, off, n);
    used += n;
    return n;
  }

  @Override
  public void close() {
    if (piece != null) {
      piece.release();
      piece = null;
    }
    content.close();
  }
}
