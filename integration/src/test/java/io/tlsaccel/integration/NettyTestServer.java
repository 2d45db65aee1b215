package io.tlsaccel.integration;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki.Credential;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.KeyManagerFactory;

/**
 * Netty 4.2 with HTTP/1.1 and ALPN: Netty's JDK SslContext on our provider, nothing else needed.
 */
final class NettyTestServer implements TestServer {
    private final EventLoopGroup group;
    private final Channel channel;

    private NettyTestServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static NettyTestServer start(Credential leaf, String tlsVersion) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ServerKind.keyStore(leaf), ServerKind.KEY_PASSWORD);
        // Netty's usual builder with the JDK's SslProvider and our JCA provider (README recipe).
        SslContext tls = SslContextBuilder.forServer(kmf)
                .sslProvider(SslProvider.JDK)
                .sslContextProvider(TlsAccelProvider.install())
                .protocols(tlsVersion)
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, "http/1.1"))
                .build();
        if (!((JdkSslContext) tls).context().getProvider().getName().equals(TlsAccelProvider.NAME)) {
            throw new IllegalStateException("Netty's SSLContext is not ours");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(1 << 16), new VersionsHandler());
                    }
                });
        Channel channel = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return new NettyTestServer(group, channel);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public boolean speaksH2() {
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    private static final class VersionsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String tls = ctx.pipeline().get(SslHandler.class).engine().getSession().getProtocol();
            byte[] body = (request.protocolVersion().text() + " " + tls).getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(response);
        }
    }
}
