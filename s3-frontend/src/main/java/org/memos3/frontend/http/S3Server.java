package org.memos3.frontend.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.memos3.frontend.op.S3Exchange;
import org.memos3.grid.crypto.TlsMaterial;

/**
 * The S3 HTTP endpoint: a Netty server with auto-read off, HTTP/1.1 decoding with size limits, and
 * a bounded worker pool that runs the S3 handlers. Bind to port 0 to get a free port.
 */
public final class S3Server implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup loops;
  private final ThreadPoolExecutor workers;
  private final Channel channel;

  private S3Server(
      EventLoopGroup boss, EventLoopGroup loops, ThreadPoolExecutor workers, Channel channel) {
    this.boss = boss;
    this.loops = loops;
    this.workers = workers;
    this.channel = channel;
  }

  public static S3Server start(
      String host, int port, HttpLimits limits, Consumer<S3Exchange> dispatcher)
      throws InterruptedException {
    return start(host, port, limits, dispatcher, null, null);
  }

  /**
   * Starts the endpoint; with a certificate chain and a PKCS#8 key (PEM files) it serves HTTPS.
   *
   * @throws IllegalArgumentException with a one-line message when the TLS files cannot be used
   */
  public static S3Server start(
      String host,
      int port,
      HttpLimits limits,
      Consumer<S3Exchange> dispatcher,
      java.nio.file.Path tlsCert,
      java.nio.file.Path tlsKey)
      throws InterruptedException {
    return start(host, port, limits, dispatcher, tlsCert, tlsKey, new HttpStats());
  }

  /** As above, counting bytes, SlowDowns and the in-flight budget into {@code stats}. */
  public static S3Server start(
      String host,
      int port,
      HttpLimits limits,
      Consumer<S3Exchange> dispatcher,
      java.nio.file.Path tlsCert,
      java.nio.file.Path tlsKey,
      HttpStats stats)
      throws InterruptedException {
    io.netty.handler.ssl.SslContext ssl = null;
    if (tlsCert != null) {
      try {
        // Read by the same code as the grid's TLS files: same formats, same one-line errors.
        TlsMaterial m = TlsMaterial.load(tlsCert, tlsKey);
        ssl =
            io.netty.handler.ssl.SslContextBuilder.forServer(
                    m.privateKey(), m.chain().toArray(java.security.cert.X509Certificate[]::new))
                .build();
      } catch (java.io.IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cannot use TLS certificate " + tlsCert + " and key " + tlsKey + ": " + e.getMessage());
      }
    }
    io.netty.handler.ssl.SslContext sslContext = ssl;
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            limits.workers(),
            limits.workers(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.queue()),
            r -> {
              Thread t = new Thread(r, "s3-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup loops = new NioEventLoopGroup();
    InFlightBudget budget = new InFlightBudget(limits.inFlightBytes());
    stats.budget(budget, limits.inFlightBytes());
    ByteCounter counter = new ByteCounter(stats);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, loops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (sslContext != null) {
                      ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(
                            counter,
                            new IdleStateHandler(0, 0, limits.idleSeconds()),
                            new HttpServerCodec(
                                limits.maxInitialLine(), limits.maxHeaderSize(), 64 * 1024),
                            new S3ChannelHandler(workers, dispatcher, limits, budget, stats));
                  }
                });
    try {
      Channel ch = b.bind(host, port).sync().channel();
      return new S3Server(boss, loops, workers, ch);
    } catch (Exception e) { // also a BindException, which Netty throws unchecked
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
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
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
