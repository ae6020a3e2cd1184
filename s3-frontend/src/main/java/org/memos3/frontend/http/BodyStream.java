package org.memos3.frontend.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import org.memos3.frontend.op.BodyTimeoutException;

/**
 * The bridge between the event loop (producer of body buffers) and a worker thread (consumer). At
 * most about {@code highWater} bytes wait here: above it the producer stops reading the socket, and
 * the consumer asks for more when it has drained half. Owns and releases every buffer offered.
 */
final class BodyStream extends InputStream {
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private final long highWater;
  private final long timeoutMillis;
  private final Runnable resume;
  private final Runnable onFirstRead;
  private long queued;
  private boolean ended;
  private boolean paused;
  private boolean firstRead = true;
  private IOException failure;

  /**
   * @param resume called (from the consumer thread) when the producer paused and room is free
   * @param onFirstRead called once before the first read (sends 100 Continue)
   */
  BodyStream(long highWater, long timeoutMillis, Runnable resume, Runnable onFirstRead) {
    this.highWater = highWater;
    this.timeoutMillis = timeoutMillis;
    this.resume = resume;
    this.onFirstRead = onFirstRead;
  }

  /** Event loop: adds a buffer (ownership passes here). Returns false when reading should pause. */
  synchronized boolean offer(ByteBuf buf) {
    if (failure != null || ended) {
      buf.release();
      return true;
    }
    if (buf.isReadable()) {
      queue.add(buf);
      queued += buf.readableBytes();
      notifyAll();
    } else {
      buf.release();
    }
    if (queued >= highWater) {
      paused = true;
      return false;
    }
    return true;
  }

  synchronized void end() {
    ended = true;
    notifyAll();
  }

  synchronized boolean isEnded() {
    return ended;
  }

  /** Fails pending and future reads (connection closed, timeout). Releases queued buffers. */
  synchronized void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    drop();
    notifyAll();
  }

  private void drop() {
    ByteBuf b;
    while ((b = queue.poll()) != null) {
      b.release();
    }
    queued = 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    boolean wake = false;
    int n;
    synchronized (this) {
      if (firstRead) {
        firstRead = false;
        onFirstRead.run();
      }
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (queue.isEmpty() && !ended && failure == null) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new BodyTimeoutException();
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
      if (failure != null) {
        throw failure;
      }
      if (queue.isEmpty()) {
        return -1;
      }
      ByteBuf head = queue.peek();
      n = Math.min(len, head.readableBytes());
      head.readBytes(b, off, n);
      queued -= n;
      if (!head.isReadable()) {
        queue.poll().release();
      }
      if (paused && queued < highWater / 2) {
        paused = false;
        wake = true;
      }
    }
    if (wake) {
      resume.run();
    }
    return n;
  }

  @Override
  public synchronized void close() {
    drop();
  }
}
