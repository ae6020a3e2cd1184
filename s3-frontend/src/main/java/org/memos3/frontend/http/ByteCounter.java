package org.memos3.frontend.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First handler of a connection: counts the raw bytes read and written into {@link HttpStats}. */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {
  private final HttpStats stats;

  ByteCounter(HttpStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      stats.bytesIn.add(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf b) {
      stats.bytesOut.add(b.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
