package io.tlsaccel.bench.tls;

import io.tlsaccel.provider.TlsAccelProvider;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * In-memory TLS for the engine benchmarks: an ECDSA P-256 CA and server certificate, the two
 * SSLContexts (ours through the TlsAccel provider, the JDK's SunJSSE) and a single-threaded pump
 * that moves records between a client and a server engine through direct buffers.
 */
public final class TlsFixtures {
    public static final String SUITE = "TLS_AES_128_GCM_SHA256";
    public static final String SUITE_TLS12 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final char[] PASSWORD = "bench".toCharArray();

    private TlsFixtures() {
    }

    /** The client and server SSLContexts of one implementation: "tlsaccel" or "sunjsse". */
    public record Contexts(SSLContext client, SSLContext server) {
    }

    public static Contexts contexts(String impl) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = g.generateKeyPair();
        KeyPair serverKeys = g.generateKeyPair();
        X509Certificate ca = issue("bench CA", caKeys, caKeys, null, true);
        X509Certificate leaf = issue("localhost", serverKeys, caKeys, ca, false);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, PASSWORD);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);

        SSLContext client;
        SSLContext server;
        switch (impl) {
            case "tlsaccel":
                TlsAccelProvider.install();
                client = SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
                server = SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
                break;
            case "sunjsse":
                client = SSLContext.getInstance("TLS", "SunJSSE");
                server = SSLContext.getInstance("TLS", "SunJSSE");
                break;
            default:
                throw new IllegalArgumentException(impl);
        }
        client.init(null, tmf.getTrustManagers(), new SecureRandom());
        server.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return new Contexts(client, server);
    }

    private static X509Certificate issue(String cn, KeyPair subject, KeyPair issuerKeys, X509Certificate issuer, boolean ca)
            throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        X500Name issuerName = issuer == null ? name : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(now),
                new Date(now - 3_600_000L), new Date(now + 7 * 86_400_000L), name, subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    /**
     * A client and a server engine joined in memory. Engines are made without peer host and
     * port, so neither implementation resumes a session: every handshake is a full one.
     */
    public static final class Link {
        public final SSLEngine client;
        public final SSLEngine server;
        /** Records written by the client (read by the server) and the reverse; write mode. */
        final ByteBuffer toServer;
        final ByteBuffer toClient;
        final ByteBuffer clientApp;
        final ByteBuffer serverApp;
        private final String suite;
        private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

        public Link(Contexts ctx) {
            this(ctx, "TLSv1.3");
        }

        /** A pair speaking {@code protocol}: TLSv1.3 with {@link #SUITE}, or TLSv1.2 with ECDHE-ECDSA AES-128-GCM. */
        public Link(Contexts ctx, String protocol) {
            suite = protocol.equals("TLSv1.2") ? SUITE_TLS12 : SUITE;
            client = ctx.client().createSSLEngine();
            client.setUseClientMode(true);
            server = ctx.server().createSSLEngine();
            server.setUseClientMode(false);
            for (SSLEngine e : new SSLEngine[] {client, server}) {
                SSLParameters p = e.getSSLParameters();
                p.setProtocols(new String[] {protocol});
                p.setCipherSuites(new String[] {suite});
                e.setSSLParameters(p);
            }
            int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
            toServer = ByteBuffer.allocateDirect(4 * net);
            toClient = ByteBuffer.allocateDirect(4 * net);
            clientApp = ByteBuffer.allocateDirect(2 * app);
            serverApp = ByteBuffer.allocateDirect(2 * app);
        }

        /** Runs a full handshake, then delivers what is still in flight (e.g. NewSessionTicket). */
        public void handshake() throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 200; i++) {
                boolean moved = step(client, toServer, toClient, clientApp);
                moved |= step(server, toClient, toServer, serverApp);
                if (done(client) && done(server)) {
                    drain(client, toClient, clientApp);
                    drain(server, toServer, serverApp);
                    if (done(client) && done(server)) {
                        if (!suite.equals(client.getSession().getCipherSuite())) {
                            throw new IllegalStateException("negotiated " + client.getSession().getCipherSuite());
                        }
                        return;
                    }
                    moved = true;
                }
                if (!moved) {
                    throw new IllegalStateException("handshake stalled: client " + client.getHandshakeStatus()
                            + ", server " + server.getHandshakeStatus());
                }
            }
            throw new IllegalStateException("handshake did not finish in 200 rounds");
        }

        private static boolean done(SSLEngine e) {
            HandshakeStatus s = e.getHandshakeStatus();
            return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
        }

        /** One move of an engine according to its handshake status; whether anything happened. */
        private static boolean step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
            switch (e.getHandshakeStatus()) {
                case NEED_WRAP: {
                    SSLEngineResult r = e.wrap(EMPTY, out);
                    return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
                }
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN: {
                    in.flip();
                    try {
                        SSLEngineResult r = e.unwrap(in, app);
                        app.clear();
                        return r.bytesConsumed() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP;
                    } finally {
                        in.compact();
                    }
                }
                case NEED_TASK: {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                    return true;
                }
                default:
                    return false;
            }
        }

        /** Unwraps whatever is waiting for an engine that is done handshaking (post-handshake messages). */
        private static void drain(SSLEngine e, ByteBuffer in, ByteBuffer app) throws SSLException {
            in.flip();
            try {
                while (in.hasRemaining()) {
                    SSLEngineResult r = e.unwrap(in, app);
                    app.clear();
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        Runnable t;
                        while ((t = e.getDelegatedTask()) != null) {
                            t.run();
                        }
                    }
                    if (r.bytesConsumed() == 0) {
                        break;
                    }
                }
            } finally {
                in.compact();
            }
        }
    }
}
