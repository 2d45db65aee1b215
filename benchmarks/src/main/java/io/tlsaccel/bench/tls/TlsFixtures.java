package io.tlsaccel.bench.tls;

import io.tlsaccel.provider.TlsAccelProvider;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
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

    /**
     * The key manager a careful user builds: "SunX509" (the JDK's default algorithm) reads the
     * private key out of the key store once, when the factory is initialised.
     */
    public static final String KEY_MANAGER = "SunX509";

    /**
     * The server's key and chain (leaf, CA) and the CA the clients trust: an ECDSA P-256 CA and
     * server certificate made afresh per call.
     */
    public record Credentials(PrivateKey key, X509Certificate[] chain, X509Certificate ca) {
        public static Credentials generate() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = g.generateKeyPair();
            KeyPair serverKeys = g.generateKeyPair();
            X509Certificate ca = issue("bench CA", caKeys, caKeys, null, true);
            X509Certificate leaf = issue("localhost", serverKeys, caKeys, ca, false);
            return new Credentials(serverKeys.getPrivate(), new X509Certificate[] {leaf, ca}, ca);
        }

        /**
         * Key managers over a PKCS#12 key store holding the key. {@code algorithm} "SunX509"
         * decrypts the key once, here; "PKIX" keeps the store and asks it for the key on every
         * handshake, which for PKCS#12 means a PBKDF2 derivation and a decryption each time.
         */
        public KeyManager[] keyManagers(String algorithm) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, PASSWORD, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        }

        /** The JDK's PKIX trust manager with the CA as the only anchor. */
        public TrustManagerFactory trustManagers() throws Exception {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            return tmf;
        }
    }

    /** Contexts with the {@link #KEY_MANAGER} key manager over fresh credentials. */
    public static Contexts contexts(String impl) throws Exception {
        return contexts(impl, KEY_MANAGER);
    }

    /** Contexts of {@code impl} whose server uses a key manager of {@code keyManager} ("SunX509", "PKIX"). */
    public static Contexts contexts(String impl, String keyManager) throws Exception {
        Credentials c = Credentials.generate();
        return contexts(impl, c.keyManagers(keyManager), c.trustManagers().getTrustManagers());
    }

    /** Contexts of {@code impl} over the given managers (the client gets only the trust managers). */
    public static Contexts contexts(String impl, KeyManager[] keyManagers, TrustManager[] trustManagers)
            throws Exception {
        SSLContext client = newContext(impl);
        SSLContext server = newContext(impl);
        client.init(null, trustManagers, new SecureRandom());
        server.init(keyManagers, trustManagers, new SecureRandom());
        return new Contexts(client, server);
    }

    private static SSLContext newContext(String impl) throws Exception {
        switch (impl) {
            case "tlsaccel":
                TlsAccelProvider.install();
                return SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
            case "sunjsse":
                return SSLContext.getInstance("TLS", "SunJSSE");
            default:
                throw new IllegalArgumentException(impl);
        }
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
            this(ctx, protocol, false);
        }

        /**
         * As above; {@code resumable}: the client engine names its peer (localhost:443), so its
         * context keeps the session (tickets, session IDs) and offers it on the next link.
         */
        public Link(Contexts ctx, String protocol, boolean resumable) {
            suite = protocol.equals("TLSv1.2") ? SUITE_TLS12 : SUITE;
            client = resumable ? ctx.client().createSSLEngine("localhost", 443) : ctx.client().createSSLEngine();
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
