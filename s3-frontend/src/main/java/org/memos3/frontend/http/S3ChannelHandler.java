package org.memos3.frontend.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.memos3.frontend.op.S3Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection state on the event loop: turns decoded HTTP objects into exchanges, one at a time
 * (pipelined requests wait their turn), and feeds request bodies with back-pressure (auto-read is
 * off: the socket is read only when the body buffer has room). A request with a body runs on the
 * worker executor. One without a body, or with a small body that came whole soon after its head, is
 * handed to the dispatcher right here: the dispatcher answers on this thread what needs only
 * records (HEAD, a GET of an inline object, a PUT of an inline object on a lone node), which spares
 * a HEAD two of its three context switches and 40% of its CPU, and offloads the rest to a worker.
 * Never waits itself.
 */
final class S3ChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(S3ChannelHandler.class);

  private final Executor workers;
  private final Consumer<S3Exchange> dispatcher;
  private final HttpLimits limits;
  private final InFlightBudget budget;
  private final HttpStats stats;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private NettyExchange current;
  private ChannelHandlerContext ctx;

  /** The current exchange has no body and is dispatched here when its end arrives. */
  private boolean dispatchAtEnd;

  /**
   * The current exchange has a small body: handed to the dispatcher here once the body is whole, or
   * to a worker when it is not whole {@link #WHOLE_BODY_WAIT_MILLIS} after the end of the read that
   * brought the request head.
   */
  private boolean dispatchWhenWhole;

  /** Bodies up to this size (a 64 KiB payload with its aws-chunked framing) may be taken whole. */
  static final long WHOLE_BODY = 128 * 1024;

  /** How long a small body that did not come whole in one read is waited for on this thread. */
  static final long WHOLE_BODY_WAIT_MILLIS = 20;

  /** The hand-over to a worker of a small body still incomplete; null when none is armed. */
  private ScheduledFuture<?> wholeBodyWait;

  S3ChannelHandler(
      Executor workers,
      Consumer<S3Exchange> dispatcher,
      HttpLimits limits,
      InFlightBudget budget,
      HttpStats stats) {
    this.stats = stats;
    this.workers = workers;
    this.dispatcher = dispatcher;
    this.limits = limits;
    this.budget = budget;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && current.bodyStream().isEnded()) {
      pending.add(msg); // pipelined: handled when the current exchange completes
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest req) {
      if (req.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        rejectAndClose(HttpResponseStatus.BAD_REQUEST, "InvalidRequest", "Malformed HTTP request");
        return;
      }
      NettyExchange ex =
          new NettyExchange(
              ctx.channel(),
              req,
              limits.bodyHighWater(),
              limits.bodyTimeoutMillis(),
              limits.writeStallMillis(),
              () -> ctx.channel().eventLoop().execute(ctx::read),
              this::completed,
              this::offload);
      long reserve = reservation(ex, limits.reservePerRequest());
      if (reserve > 0 && !budget.tryReserve(reserve)) {
        ReferenceCountUtil.release(msg);
        rejectAndClose(
            HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown", "Please reduce your request rate.");
        return;
      }
      ex.reserved(reserve);
      current = ex;
      if (withoutBody(req)) {
        dispatchAtEnd = true; // by the content branch below, at the end of the (empty) body
      } else if (smallBody(req)) {
        dispatchWhenWhole = true;
      } else if (!toWorker(ex)) {
        return;
      }
      if (!(msg instanceof HttpContent)) {
        ctx.read();
        return;
      }
    }
    if (msg instanceof HttpContent c) {
      if (current == null) {
        c.release();
        ctx.read();
        return;
      }
      boolean more = current.bodyStream().offer(c.content());
      if (c instanceof LastHttpContent) {
        current.bodyStream().end();
        if (dispatchAtEnd) {
          dispatchAtEnd = false;
          dispatcher.accept(current); // completes later, in a task of this loop
        } else if (dispatchWhenWhole) {
          dispatchWhenWhole = false;
          cancelWholeBodyWait();
          dispatcher.accept(current); // whole: the dispatcher may answer it here (a small PUT)
        }
      } else if (more) {
        ctx.read();
      }
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  /**
   * End of a read from the socket: a small body still incomplete is waited for here a little longer
   * ({@link #WHOLE_BODY_WAIT_MILLIS}; a client often sends the head and the body in two writes, and
   * they arrive in two reads), then goes to its worker, which reads the rest as it comes, under the
   * body timeout.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (dispatchWhenWhole && wholeBodyWait == null) {
      NettyExchange waiting = current;
      wholeBodyWait =
          ctx.executor()
              .schedule(
                  () -> {
                    wholeBodyWait = null;
                    if (dispatchWhenWhole && current == waiting) {
                      dispatchWhenWhole = false;
                      toWorker(waiting);
                    }
                  },
                  WHOLE_BODY_WAIT_MILLIS,
                  TimeUnit.MILLISECONDS);
    }
  }

  private void cancelWholeBodyWait() {
    if (wholeBodyWait != null) {
      wholeBodyWait.cancel(false);
      wholeBodyWait = null;
    }
  }

  /**
   * Runs {@code ex} on a worker; false when the workers' queue is full, and then the request got
   * SlowDown and the connection closes (its body may still be on the way).
   */
  private boolean toWorker(NettyExchange ex) {
    try {
      workers.execute(() -> dispatcher.accept(ex));
      return true;
    } catch (RejectedExecutionException e) {
      budget.release(ex.takeReserved());
      current = null;
      rejectAndClose(
          HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown", "Please reduce your request rate.");
      return false;
    }
  }

  /**
   * True for a body small enough to take whole before the request goes to a worker (when it arrives
   * in the same read as the head: the worker then never parks waiting for it). Not with {@code
   * Expect: 100-continue}, whose body waits for the worker's answer.
   */
  static boolean smallBody(HttpRequest req) {
    long n = declaredBody(req);
    return n > 0 && n <= WHOLE_BODY && !HttpUtil.is100ContinueExpected(req);
  }

  /** True for a request that declares no body (no chunked transfer, no or a zero length). */
  static boolean withoutBody(HttpRequest req) {
    return declaredBody(req) == 0;
  }

  /** The body length the request declares: 0 without one, -1 when chunked or unparsable. */
  private static long declaredBody(HttpRequest req) {
    if (HttpUtil.isTransferEncodingChunked(req)) {
      return -1;
    }
    try {
      return HttpUtil.getContentLength(req, 0L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Any thread: runs {@code task} on a worker, counting a refusal as a SlowDown. */
  private void offload(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      stats.slowDowns.increment();
      throw e;
    }
  }

  /**
   * What a request may hold in memory: an upload its declared size (plus buffers) up to the
   * maximum, a GET its read-ahead window and response buffer (5/8 of the maximum), others little.
   */
  static long reservation(S3Exchange ex, long max) {
    String m = ex.method();
    if (m.equals("PUT") || m.equals("POST")) {
      OptionalLong n = ex.declaredObjectLength();
      return n.isEmpty() ? max : Math.min(max, Math.max(0, n.getAsLong()) + 64 * 1024);
    }
    return m.equals("GET") ? max * 5 / 8 : 0;
  }

  /** Event loop: the exchange sent its whole response. */
  private void completed(NettyExchange ex) {
    budget.release(ex.takeReserved());
    if (ex != current) {
      return;
    }
    current = null;
    ex.bodyStream().close();
    if (ex.closeAfter() || !ctx.channel().isActive()) {
      releasePending();
      ctx.close();
      return;
    }
    while (!pending.isEmpty() && (current == null || !current.bodyStream().isEnded())) {
      handle(pending.poll());
    }
    if (current == null || !current.bodyStream().isEnded()) {
      ctx.read();
    }
  }

  private void rejectAndClose(HttpResponseStatus status, String code, String message) {
    if (code.equals("SlowDown")) {
      stats.slowDowns.increment();
    }
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error>";
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/xml");
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(f -> ctx.close());
  }

  private void releasePending() {
    Object o;
    while ((o = pending.poll()) != null) {
      ReferenceCountUtil.release(o);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelWholeBodyWait();
    if (current != null && (dispatchAtEnd || dispatchWhenWhole)) { // closed before it could run
      budget.release(current.takeReserved());
      current = null;
      dispatchAtEnd = false;
      dispatchWhenWhole = false;
    }
    if (current != null) {
      current.bodyStream().fail(new IOException("client closed the connection"));
      current.writabilityChanged();
    }
    releasePending();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && current == null) {
      ctx.close(); // idle keep-alive connection
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error: {}", cause.toString());
    if (current != null) {
      current.bodyStream().fail(new IOException("connection error: " + cause));
    }
    ctx.close();
  }
}
