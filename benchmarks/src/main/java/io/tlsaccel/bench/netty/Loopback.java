package io.tlsaccel.bench.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;

/**
 * A Netty server and client in this JVM, each on its own one-thread NIO event loop, talking TCP
 * over 127.0.0.1. TLS work (including the JDK engines' delegated tasks, which {@link SslHandler}
 * runs in place) happens on those two threads, whose CPU time {@link #loopThreadIds()} names.
 */
final class Loopback implements AutoCloseable {
    static final String HOST = "localhost";
    /** Bytes per write in the bulk job: one full TLS record of application data. */
    static final int CHUNK = 16384;
    private static final long TIMEOUT_S = 10;

    /** Thread names start with these (profiles tell the two ends apart by them). */
    static final String SERVER_THREAD = "tls-server";
    static final String CLIENT_THREAD = "tls-client";

    private final EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory(SERVER_THREAD), NioIoHandler.newFactory());
    private final EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory(CLIENT_THREAD), NioIoHandler.newFactory());
    private final ByteBuf payload;

    Loopback() {
        byte[] data = new byte[CHUNK];
        new java.util.SplittableRandom(14).nextBytes(data);
        payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeBytes(data));
    }

    List<Long> loopThreadIds() throws Exception {
        return List.of(serverLoop.submit(() -> Thread.currentThread().getId()).get(),
                clientLoop.submit(() -> Thread.currentThread().getId()).get());
    }

    /** A listening server for one engine and protocol; bulk servers count and drop, others echo. */
    Server listen(Engine engine, Protocol protocol, boolean bulk) throws InterruptedException {
        LongAdder received = new LongAdder();
        ServerBootstrap b = new ServerBootstrap();
        if (engine.channelAllocator() != null) {
            b.childOption(ChannelOption.ALLOCATOR, engine.channelAllocator());
        }
        Channel ch = b.group(serverLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(engine.server(c.alloc(), protocol), new ServerSide(bulk, received));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return new Server(ch, engine, protocol, received);
    }

    /** What one listening server needs to be dialled. */
    final class Server implements AutoCloseable {
        private final Channel channel;
        private final Engine engine;
        private final Protocol protocol;
        final LongAdder received;

        Server(Channel channel, Engine engine, Protocol protocol, LongAdder received) {
            this.channel = channel;
            this.engine = engine;
            this.protocol = protocol;
            this.received = received;
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        /**
         * One connection: TCP connect, the TLS handshake, one byte each way (so the server has
         * finished its side and a TLS 1.3 client has read the session tickets sent before the
         * echo), then close_notify and close. Returns the client's session.
         */
        SSLSession ping(boolean resumable) throws Exception {
            CompletableFuture<SSLSession> done = new CompletableFuture<>();
            Channel ch = connect(resumable, new Ping(done));
            try {
                return done.get(TIMEOUT_S, TimeUnit.SECONDS);
            } finally {
                ch.close();
                ch.closeFuture().await(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }

        /** A connection that sends {@link #CHUNK}-byte writes for as long as it is open. */
        Bulk bulk() throws Exception {
            CompletableFuture<SSLSession> started = new CompletableFuture<>();
            Pump pump = new Pump(payload, started);
            Channel ch = connect(false, pump);
            return new Bulk(ch, pump, started.get(TIMEOUT_S, TimeUnit.SECONDS));
        }

        private Channel connect(boolean resumable, ChannelInboundHandlerAdapter app) throws InterruptedException {
            int port = port();
            Bootstrap b = new Bootstrap();
            if (engine.channelAllocator() != null) {
                b.option(ChannelOption.ALLOCATOR, engine.channelAllocator());
            }
            return b.group(clientLoop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(engine.client(c.alloc(), protocol, resumable, HOST, port), app);
                        }
                    })
                    .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        }

        @Override
        public void close() throws InterruptedException {
            channel.close().sync();
        }
    }

    /** A bulk connection, sending from the handshake on until paused. */
    record Bulk(Channel channel, Pump pump, SSLSession session) implements AutoCloseable {
        /** Stops sending (what is queued still drains); the connection stays open. */
        void pause() {
            pump.running = false;
        }

        /** Sends again after {@link #pause()}. */
        void resume() {
            pump.running = true;
            channel.eventLoop().execute(() -> pump.pump(channel.pipeline().context(pump)));
        }

        @Override
        public void close() throws InterruptedException {
            pump.running = false;
            channel.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SSLSession session(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class).engine().getSession();
    }

    /** Server application: echo (handshake jobs) or count and drop (bulk). */
    private static final class ServerSide extends ChannelInboundHandlerAdapter {
        private final boolean bulk;
        private final LongAdder received;

        ServerSide(boolean bulk, LongAdder received) {
            this.bulk = bulk;
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            if (bulk) {
                received.add(b.readableBytes());
                b.release();
            } else {
                ctx.writeAndFlush(b);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Client application of the handshake jobs: after the handshake, one byte out and back. */
    private static final class Ping extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<SSLSession> done;
        private SSLSession session;

        Ping(CompletableFuture<SSLSession> done) {
            this.done = done;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent) evt;
                if (e.isSuccess()) {
                    session = session(ctx);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
                } else {
                    done.completeExceptionally(e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            done.complete(session);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("connection closed before the echo"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** Client application of the bulk job: keeps the connection's write buffer full. */
    static final class Pump extends ChannelInboundHandlerAdapter {
        private final ByteBuf payload;
        private final CompletableFuture<SSLSession> started;
        volatile boolean running = true;

        Pump(ByteBuf payload, CompletableFuture<SSLSession> started) {
            this.payload = payload;
            this.started = started;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent) evt;
                if (e.isSuccess()) {
                    started.complete(session(ctx));
                    pump(ctx);
                } else {
                    started.completeExceptionally(e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        /** Writes while the channel takes more; at most 16 at a time, so reads get their turn. */
        void pump(ChannelHandlerContext ctx) {
            int n = 0;
            while (running && ctx.channel().isWritable() && n++ < 16) {
                ctx.write(payload.duplicate());
            }
            ctx.flush();
            if (running && ctx.channel().isWritable()) {
                ctx.executor().execute(() -> pump(ctx));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            started.completeExceptionally(cause);
            ctx.close();
        }
    }
}
