package org.memos3.bench;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A request body of {@link Content} generated as the client asks for it (256 KiB buffers), with its
 * length known up front, so that a 1 GiB PUT never holds more than a few buffers. Each subscription
 * (the SDK resubscribes on a retry) starts from byte 0.
 */
final class GeneratedBody implements AsyncRequestBody {
  private static final int BUFFER = 256 * 1024;
  private final long seed;
  private final long size;

  GeneratedBody(long seed, long size) {
    this.seed = seed;
    this.size = size;
  }

  @Override
  public Optional<Long> contentLength() {
    return Optional.of(size);
  }

  @Override
  public String contentType() {
    return "application/octet-stream";
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> s) {
    s.onSubscribe(new Emitter(s));
  }

  private final class Emitter implements Subscription {
    private final Subscriber<? super ByteBuffer> s;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean emitting = new AtomicBoolean();
    private volatile boolean done;
    private long pos;

    Emitter(Subscriber<? super ByteBuffer> s) {
      this.s = s;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        done = true;
        s.onError(new IllegalArgumentException("non-positive request " + n));
        return;
      }
      demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
      drain();
    }

    /** Emits while there is demand; re-entrant calls (onNext -> request) only add demand. */
    private void drain() {
      while (!done && emitting.compareAndSet(false, true)) {
        try {
          while (!done && demand.get() > 0) {
            if (pos >= size) {
              done = true;
              s.onComplete();
              return;
            }
            int n = (int) Math.min(BUFFER, size - pos);
            byte[] b = new byte[n];
            Content.fill(seed, pos, b, 0, n);
            pos += n;
            demand.decrementAndGet();
            s.onNext(ByteBuffer.wrap(b));
          }
          if (!done && pos >= size) {
            done = true;
            s.onComplete();
            return;
          }
        } finally {
          emitting.set(false);
        }
        if (demand.get() == 0 || done) {
          return;
        }
      }
    }

    @Override
    public void cancel() {
      done = true;
    }
  }
}
