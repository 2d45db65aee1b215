package io.tlsaccel.bench.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tlsaccel.bench.tls.TlsFixtures;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * One TLS implementation under test, as a Netty user would plug it in: ours and SunJSSE as
 * JDK {@code SSLContext}s whose engines go into a plain {@link SslHandler}; netty-tcnative
 * (BoringSSL) through {@link SslContextBuilder} with {@link SslProvider#OPENSSL}. All three get
 * the same credentials, the same counting PKIX trust manager on the client, and the groups
 * x25519 then P-256 (the JDK engines through {@code jdk.tls.namedGroups}, set by
 * {@link NettyHarness}): key exchange is x25519; P-256 is offered because a TLS 1.2 server may
 * only use an ECDSA P-256 certificate when the client lists that curve (RFC 8422 5.1).
 */
abstract class Engine {
    /** The groups offered, in order of preference (OpenSSL names). */
    private static final String[] GROUPS = {"x25519", "P-256"};

    final String name;
    final CountingTrustManager trust;

    private Engine(String name, CountingTrustManager trust) {
        this.name = name;
        this.trust = trust;
    }

    /**
     * The engine for {@code name} ("tlsaccel", "tlsaccel-direct", "tlsaccel-composite", "sunjsse",
     * "tcnative") with these credentials. {@code tlsaccel-composite} is ours with Netty's
     * composite cumulator on the handler (received bytes kept as a list of buffers rather than
     * merged into one): measured at 3% less CPU per MB and the same throughput, so not advised.
     */
    static Engine create(String name, TlsFixtures.Credentials creds, String keyManager) throws Exception {
        CountingTrustManager trust = new CountingTrustManager(
                (javax.net.ssl.X509ExtendedTrustManager) creds.trustManagers().getTrustManagers()[0]);
        switch (name) {
            case "tlsaccel":
            case "sunjsse":
                return new Jdk(name, trust, TlsFixtures.contexts(name, creds.keyManagers(keyManager),
                        new TrustManager[] {trust}), null, false);
            case "tlsaccel-direct":
                return new Jdk(name, trust, TlsFixtures.contexts("tlsaccel", creds.keyManagers(keyManager),
                        new TrustManager[] {trust}), new DirectWrapAllocator(ByteBufAllocator.DEFAULT), false);
            case "tlsaccel-composite":
                return new Jdk(name, trust, TlsFixtures.contexts("tlsaccel", creds.keyManagers(keyManager),
                        new TrustManager[] {trust}), null, true);
            case "tcnative":
                return new TcNative(trust, creds);
            default:
                throw new IllegalArgumentException(
                        "unknown engine " + name + " (tlsaccel, tlsaccel-direct, tlsaccel-composite, sunjsse, tcnative)");
        }
    }

    /** The allocator the engine's channels are given; null for Netty's default. */
    ByteBufAllocator channelAllocator() {
        return null;
    }

    /** The server side of a new connection. */
    abstract SslHandler server(ByteBufAllocator alloc, Protocol protocol);

    /**
     * The client side of a new connection; with {@code resumable} it names the peer (host and
     * port), which is what lets a client look a cached session up.
     */
    abstract SslHandler client(ByteBufAllocator alloc, Protocol protocol, boolean resumable, String host, int port);

    /** Our provider or SunJSSE: an SSLContext per side, SSLParameters per engine. */
    private static final class Jdk extends Engine {
        private final TlsFixtures.Contexts contexts;
        private final ByteBufAllocator channelAllocator;
        private final boolean compositeCumulation;

        Jdk(String name, CountingTrustManager trust, TlsFixtures.Contexts contexts, ByteBufAllocator channelAllocator,
                boolean compositeCumulation) {
            super(name, trust);
            this.contexts = contexts;
            this.channelAllocator = channelAllocator;
            this.compositeCumulation = compositeCumulation;
        }

        @Override
        ByteBufAllocator channelAllocator() {
            return channelAllocator;
        }

        @Override
        SslHandler server(ByteBufAllocator alloc, Protocol protocol) {
            SSLEngine e = contexts.server().createSSLEngine();
            e.setUseClientMode(false);
            return handler(configure(e, protocol));
        }

        @Override
        SslHandler client(ByteBufAllocator alloc, Protocol protocol, boolean resumable, String host, int port) {
            SSLEngine e = resumable ? contexts.client().createSSLEngine(host, port) : contexts.client().createSSLEngine();
            e.setUseClientMode(true);
            return handler(configure(e, protocol));
        }

        private SslHandler handler(SSLEngine e) {
            SslHandler h = new SslHandler(e);
            if (compositeCumulation) {
                h.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
            }
            return h;
        }

        private static SSLEngine configure(SSLEngine e, Protocol protocol) {
            SSLParameters p = e.getSSLParameters();
            p.setProtocols(new String[] {protocol.jsseName});
            p.setCipherSuites(new String[] {protocol.suite});
            e.setSSLParameters(p);
            return e;
        }
    }

    /** netty-tcnative-boringssl-static: one Netty SslContext per side and protocol. */
    private static final class TcNative extends Engine {
        private final java.util.Map<Protocol, SslContext> servers = new java.util.EnumMap<>(Protocol.class);
        private final java.util.Map<Protocol, SslContext> clients = new java.util.EnumMap<>(Protocol.class);

        TcNative(CountingTrustManager trust, TlsFixtures.Credentials creds) throws Exception {
            super("tcnative", trust);
            if (!OpenSsl.isAvailable()) {
                throw new IllegalStateException("netty-tcnative does not load here: " + OpenSsl.unavailabilityCause());
            }
            for (Protocol p : Protocol.values()) {
                servers.put(p, SslContextBuilder.forServer(creds.key(), creds.chain())
                        .sslProvider(SslProvider.OPENSSL).protocols(p.jsseName).ciphers(List.of(p.suite))
                        .option(OpenSslContextOption.GROUPS, GROUPS).build());
                // Netty 4.2 clients check the host name by default; the JDK engines here do not
                // (they set no endpoint identification), so neither does this one.
                clients.put(p, SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm(null)
                        .sslProvider(SslProvider.OPENSSL).protocols(p.jsseName).ciphers(List.of(p.suite))
                        .option(OpenSslContextOption.GROUPS, GROUPS).build());
            }
        }

        @Override
        SslHandler server(ByteBufAllocator alloc, Protocol protocol) {
            return servers.get(protocol).newHandler(alloc);
        }

        @Override
        SslHandler client(ByteBufAllocator alloc, Protocol protocol, boolean resumable, String host, int port) {
            SslContext c = clients.get(protocol);
            return resumable ? c.newHandler(alloc, host, port) : c.newHandler(alloc);
        }
    }
}
