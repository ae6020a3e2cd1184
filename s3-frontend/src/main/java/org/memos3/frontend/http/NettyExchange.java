package org.memos3.frontend.http;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.memos3.frontend.op.HttpDate;
import org.memos3.frontend.op.S3Exchange;

/**
 * A request/response on a Netty channel, driven from a worker thread or, for a request without a
 * body, from the channel's event loop (see {@link S3ChannelHandler}). Writes go through the channel
 * (thread-safe); a streamed write from a worker waits for the channel to become writable again, so
 * a slow reader holds at most the channel's high-water mark of response bytes.
 */
final class NettyExchange implements S3Exchange {

  private final Channel channel;
  private final HttpRequest request;
  private final String rawPath;
  private final String rawQuery;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private final BodyStream body;
  private final Consumer<NettyExchange> onComplete;
  private final String requestId;
  private final long writeStallMillis;
  private final Executor workers;

  /**
   * The request thread parked until the channel is writable again, else null. The event loop only
   * unparks it, never takes a lock the request thread may hold (a monitor here made the event loop
   * spin on it while the writer held it: 6% of a large GET's CPU samples).
   */
  private volatile Thread writer;

  private final AtomicBoolean continueSent = new AtomicBoolean();
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile boolean closeAfter;
  private long reserved;

  NettyExchange(
      Channel channel,
      HttpRequest request,
      long bodyHighWater,
      long bodyTimeoutMillis,
      long writeStallMillis,
      Runnable resumeReading,
      Consumer<NettyExchange> onComplete,
      Executor workers) {
    this.channel = channel;
    this.workers = workers;
    this.request = request;
    this.onComplete = onComplete;
    this.writeStallMillis = writeStallMillis;
    String uri = request.uri();
    int q = uri.indexOf('?');
    this.rawPath = q < 0 ? uri : uri.substring(0, q);
    this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
    for (Map.Entry<String, String> h : request.headers()) {
      headers
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    this.body = new BodyStream(bodyHighWater, bodyTimeoutMillis, resumeReading, this::sendContinue);
    // A request id only has to be unlikely to repeat: no SecureRandom (a lock and a read of
    // /dev/urandom's buffer per request).
    this.requestId =
        HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
    this.closeAfter = !HttpUtil.isKeepAlive(request);
  }

  /** Event loop: the in-flight bytes this exchange holds from the global budget. */
  void reserved(long bytes) {
    reserved = bytes;
  }

  /** Event loop: returns the reservation, once. */
  long takeReserved() {
    long r = reserved;
    reserved = 0;
    return r;
  }

  BodyStream bodyStream() {
    return body;
  }

  boolean closeAfter() {
    return closeAfter;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public boolean onEventLoop() {
    return channel.eventLoop().inEventLoop();
  }

  @Override
  public String remoteAddress() {
    if (!(channel.remoteAddress() instanceof java.net.InetSocketAddress a)
        || a.getAddress() == null) {
      return null;
    }
    String s = a.getAddress().getHostAddress();
    int zone = s.indexOf('%'); // fe80::1%eth0: the zone is no part of the address
    return zone < 0 ? s : s.substring(0, zone);
  }

  @Override
  public boolean secure() {
    return channel.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null;
  }

  @Override
  public void offload(Runnable task) {
    workers.execute(task);
  }

  @Override
  public String rawPath() {
    return rawPath;
  }

  @Override
  public String rawQuery() {
    return rawQuery;
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public boolean bodyComplete() {
    return body.isEnded();
  }

  @Override
  public void sendContinue() {
    if (HttpUtil.is100ContinueExpected(request) && continueSent.compareAndSet(false, true)) {
      channel.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  private void commonHeaders(HttpHeaders h, Map<String, String> extra) {
    h.set("x-amz-request-id", requestId);
    h.set("x-amz-id-2", Base64.getEncoder().encodeToString(requestId.getBytes()));
    h.set(HttpHeaderNames.DATE, HttpDate.now());
    h.set(HttpHeaderNames.SERVER, "memo-s3");
    extra.forEach(h::set);
    if (!body.isEnded()) {
      // The rest of the request body will not be read: the connection cannot be reused.
      closeAfter = true;
    }
    if (closeAfter) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  /** The status sent or started, 0 before any (the access log and metrics report it). */
  private volatile int sent;

  @Override
  public int status() {
    return sent;
  }

  @Override
  public void respond(int status, Map<String, String> extra, byte[] content) {
    sent = status;
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            content.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content));
    commonHeaders(r.headers(), extra);
    if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
    }
    channel.writeAndFlush(r, completing());
  }

  @Override
  public void startStream(int status, Map<String, String> extra) {
    sent = status;
    HttpResponse r =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    commonHeaders(r.headers(), extra);
    channel.write(r); // goes out with the first body bytes: one flush (and one wake-up) less
  }

  /**
   * Writes {@code b[off, off+len)} without copying; {@code release} runs when Netty frees the
   * buffer (once it has copied the bytes for the socket, or the write failed).
   */
  @Override
  public void write(byte[] b, int off, int len, Runnable release) throws IOException {
    if (!channel.isActive()) {
      release.run();
      throw new IOException("client closed the connection");
    }
    channel.writeAndFlush(new DefaultHttpContent(new ReleasingHeapBuf(b, off, len, release)));
    if (onEventLoop()) {
      // Only bounded bodies (an inline object) are written from the I/O thread, and waiting there
      // for writability would wait for that very thread.
      return;
    }
    long deadline = System.nanoTime() + writeStallMillis * 1_000_000L;
    while (!channel.isWritable()) {
      if (!channel.isActive()) {
        throw new IOException("client closed the connection");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        abort();
        throw new IOException("client stopped reading");
      }
      // Published before the check: a change after the check unparks this thread (the permit
      // outlives a park that has not started yet).
      writer = Thread.currentThread();
      try {
        if (!channel.isWritable() && channel.isActive()) {
          LockSupport.parkNanos(this, Math.min(left, 1_000_000_000L));
        }
      } finally {
        writer = null;
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  /** Event loop: the channel's writability changed (or it closed). */
  void writabilityChanged() {
    Thread w = writer;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  @Override
  public void endStream() {
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, completing());
  }

  @Override
  public void abort() {
    closeAfter = true;
    channel.close(completing());
  }

  /**
   * A promise that completes the exchange, its listener set before the write is handed to the event
   * loop: added afterwards, it would often find the write done already (the event loop, woken by
   * the write, runs before this thread resumes) and then have to wake the event loop a second time
   * to run there (`perf`: a third of a small PUT's context switches on its worker).
   */
  private ChannelPromise completing() {
    ChannelPromise p = channel.newPromise();
    p.addListener(f -> complete());
    return p;
  }

  private void complete() {
    if (completed.compareAndSet(false, true)) {
      if (closeAfter) {
        channel.close();
      }
      channel.eventLoop().execute(() -> onComplete.accept(this));
    }
  }

  boolean isCompleted() {
    return completed.get();
  }

  /** A heap buffer over a caller's array that hands the array back when Netty frees the buffer. */
  private static final class ReleasingHeapBuf extends UnpooledHeapByteBuf {
    private Runnable release;

    ReleasingHeapBuf(byte[] b, int off, int len, Runnable release) {
      super(UnpooledByteBufAllocator.DEFAULT, b, b.length);
      setIndex(off, off + len);
      this.release = release;
    }

    @Override
    protected void freeArray(byte[] array) {
      Runnable r = release;
      release = null;
      if (r != null) {
        r.run();
      }
    }
  }

  static ChannelFutureListener closeListener() {
    return ChannelFutureListener.CLOSE;
  }
}
