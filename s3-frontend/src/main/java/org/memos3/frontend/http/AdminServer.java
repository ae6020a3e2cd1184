package org.memos3.frontend.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint: a small HTTP/1.1 server (whole requests aggregated, bodies ignored) for
 * metrics, health and cluster state. Requests run on two worker threads, never on the event loop,
 * because answering may read the grid. No authentication: bind it to loopback.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** One answer of the admin endpoint. */
  public record Response(int status, String contentType, byte[] body) {
    public static Response text(int status, String text) {
      return new Response(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Answers a request, given its method and path (query string removed). */
  @FunctionalInterface
  public interface Routes {
    Response handle(String method, String path);
  }

  private final EventLoopGroup group;
  private final ThreadPoolExecutor workers;
  private final Channel channel;

  private AdminServer(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel) {
    this.group = group;
    this.workers = workers;
    this.channel = channel;
  }

  public static AdminServer start(String host, int port, Routes routes)
      throws InterruptedException {
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            2,
            2,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "memo-s3-admin");
              t.setDaemon(true);
              return t;
            });
    EventLoopGroup group = new NioEventLoopGroup(1);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new ReadTimeoutHandler(60),
                            new HttpServerCodec(4096, 16 * 1024, 8192),
                            new HttpObjectAggregator(64 * 1024),
                            new Handler(workers, routes));
                  }
                });
    try {
      Channel ch = b.bind(host, port).sync().channel();
      return new AdminServer(group, workers, ch);
    } catch (Exception e) { // also a BindException, which Netty throws unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownNow();
      throw e;
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    workers.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ThreadPoolExecutor workers;
    private final Routes routes;

    Handler(ThreadPoolExecutor workers, Routes routes) {
      this.workers = workers;
      this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
      if (req.decoderResult().isFailure()) {
        send(ctx, Response.text(400, "bad request\n"), false);
        return;
      }
      String method = req.method().name();
      String uri = req.uri();
      int q = uri.indexOf('?');
      String path = q >= 0 ? uri.substring(0, q) : uri;
      try {
        workers.execute(
            () -> {
              Response r;
              try {
                r = routes.handle(method, path);
              } catch (RuntimeException e) {
                LOG.warn("admin request {} {} failed: {}", method, path, e.toString());
                r = Response.text(500, "internal error: " + e + "\n");
              }
              send(ctx, r, keepAlive);
            });
      } catch (RejectedExecutionException e) {
        send(ctx, Response.text(503, "busy\n"), false);
      }
    }

    private static void send(ChannelHandlerContext ctx, Response r, boolean keepAlive) {
      FullHttpResponse resp =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(r.status()),
              Unpooled.wrappedBuffer(r.body()));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
      resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
