package io.tlsaccel.tls.engine;

import io.tlsaccel.testutil.EnginePair;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.engine.TlsContextSpi;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS 1.2 handshakes for every suite we implement: ours against ours, against the JDK's
 * SunJSSE in both roles, with and without client authentication, then version negotiation
 * between TLS 1.3 and TLS 1.2.
 */
class Tls12HandshakeTest {
    static final Credential CA = TestPki.newCa("TLS 1.2 CA");
    static final Credential EC_LEAF = TestPki.issue(CA, KeyType.EC_P256, "localhost");
    static final Credential RSA_LEAF = TestPki.issue(CA, KeyType.RSA, "localhost");
    static final Credential EC_CLIENT = TestPki.issue(CA, KeyType.EC_P384, "client.example");
    static final Credential RSA_CLIENT = TestPki.issue(CA, KeyType.RSA, "client.example");

    private static final Provider TEST_PROVIDER = new Provider("TlsAccelTest12", "0.1", "test only") {
        private static final long serialVersionUID = 1L;
    };

    enum Peer { OURS, JDK }

    /** Our SSLContext with the given protocols ("TLS" = 1.3 and 1.2, "TLSv1.2", "TLSv1.3"). */
    static SSLContext ours(String protocol, KeyManager[] km, TrustManager[] tm) {
        try {
            javax.net.ssl.SSLContextSpi spi = switch (protocol) {
                case "TLS" -> new TlsContextSpi.Tls();
                case "TLSv1.2" -> new TlsContextSpi.Tls12();
                default -> new TlsContextSpi.Tls13();
            };
            SSLContext c = new SSLContext(spi, TEST_PROVIDER, protocol) {
            };
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext jdk(String protocol, KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext c = SSLContext.getInstance(protocol, "SunJSSE");
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext context(Peer peer, String protocol, KeyManager[] km, TrustManager[] tm) {
        return peer == Peer.OURS ? ours(protocol, km, tm) : jdk(protocol, km, tm);
    }

    static SSLEngine client(SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
        return e;
    }

    static SSLEngine server(SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    static Stream<Arguments> suites() {
        List<Arguments> out = new ArrayList<>();
        for (Tls12CipherSuite s : Tls12CipherSuite.values()) {
            for (Peer[] roles : new Peer[][] {{Peer.OURS, Peer.OURS}, {Peer.OURS, Peer.JDK}, {Peer.JDK, Peer.OURS}}) {
                for (boolean clientAuth : new boolean[] {false, true}) {
                    out.add(Arguments.of(s, roles[0], roles[1], clientAuth));
                }
            }
        }
        return out.stream();
    }

    private static boolean enabledIn(SSLEngine e, String suite) {
        return Arrays.asList(e.getEnabledCipherSuites()).contains(suite);
    }

    @ParameterizedTest(name = "{0} client={1} server={2} clientAuth={3}")
    @MethodSource("suites")
    void everySuite(Tls12CipherSuite suite, Peer clientPeer, Peer serverPeer, boolean clientAuth) throws Exception {
        Credential serverLeaf = suite.keyExchange().keyType().equals("EC") ? EC_LEAF : RSA_LEAF;
        // Alternate the client key type so both ECDSA and RSA CertificateVerify are covered.
        Credential clientLeaf = suite.ordinal() % 2 == 0 ? EC_CLIENT : RSA_CLIENT;
        SSLEngine c = client(context(clientPeer, "TLSv1.2",
                clientAuth ? TestPki.keyManagers(clientLeaf) : new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(context(serverPeer, "TLSv1.2", TestPki.keyManagers(serverLeaf), TestPki.trustManagers(CA)));
        for (SSLEngine e : new SSLEngine[] {c, s}) {
            if (!enabledIn(e, suite.name())) {
                String reason = "skipped: " + suite + " is not enabled in " + e.getClass().getName()
                        + " on Java " + Runtime.version() + " (jdk.tls.disabledAlgorithms)";
                System.out.println(reason);
                Assumptions.abort(reason);
            }
            e.setEnabledCipherSuites(new String[] {suite.name()});
            e.setEnabledProtocols(new String[] {"TLSv1.2"});
        }
        if (clientAuth) {
            s.setNeedClientAuth(true);
        }
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertNull(p.server.error, () -> "server: " + p.server.error);
        for (SSLEngine e : new SSLEngine[] {c, s}) {
            SSLSession session = e.getSession();
            assertEquals("TLSv1.2", session.getProtocol(), e.toString());
            assertEquals(suite.name(), session.getCipherSuite(), e.toString());
        }
        assertEquals(serverLeaf.certificate(), c.getSession().getPeerCertificates()[0]);
        if (clientAuth) {
            assertEquals(clientLeaf.certificate(), s.getSession().getPeerCertificates()[0]);
        }
        exchange(p);
        p.closeBoth();
        assertTrue(c.isOutboundDone() && s.isOutboundDone());
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertNull(p.server.error, () -> "server: " + p.server.error);
    }

    /** Application data both ways, including one record larger than 2^14 split in two. */
    static void exchange(EnginePair p) {
        byte[] hello = "hello over TLS 1.2".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hello, p.send(p.client, hello));
        byte[] big = new byte[40_000];
        new SecureRandom().nextBytes(big);
        assertArrayEquals(big, p.send(p.server, big));
        assertArrayEquals(big, p.send(p.client, big));
    }

    /**
     * TLS 1.2 still allows rsa_pkcs1 in ServerKeyExchange and CertificateVerify: a client that
     * offers only rsa_pkcs1_sha256 / _sha384 (jdk.tls.client.SignatureSchemes, as SunJSSE reads
     * it) gets ServerKeyExchange signed with it and signs its own CertificateVerify with it.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rsa_pkcs1_sha256", "rsa_pkcs1_sha384"})
    void rsaPkcs1Signatures(String scheme) throws Exception {
        String property = "jdk.tls.client.SignatureSchemes";
        // SunJSSE reads this property once, when its configuration class initializes: make
        // that happen now, so later JDK clients in this JVM are not narrowed too.
        client(jdk("TLSv1.2", new KeyManager[0], TestPki.trustManagers(CA)));
        server(jdk("TLSv1.2", new KeyManager[0], TestPki.trustManagers(CA)));
        String old = System.getProperty(property);
        System.setProperty(property, scheme);
        try {
            for (Peer serverPeer : Peer.values()) {
                SSLEngine c = client(ours("TLSv1.2", TestPki.keyManagers(RSA_CLIENT), TestPki.trustManagers(CA)));
                SSLEngine s = server(context(serverPeer, "TLSv1.2", TestPki.keyManagers(RSA_LEAF), TestPki.trustManagers(CA)));
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setNeedClientAuth(true);
                c.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
                List<String> events = new ArrayList<>();
                ((io.tlsaccel.tls.engine.TlsEngine) c).setHandshakeObserver(new io.tlsaccel.tls.engine.HandshakeObserver() {
                    @Override
                    public void message(boolean outbound, int type, int length) {
                    }

                    @Override
                    public void event(String description) {
                        events.add(description);
                    }
                });
                EnginePair p = new EnginePair(c, s);
                p.handshake();
                assertNull(p.client.error, () -> serverPeer + " client: " + p.client.error);
                assertNull(p.server.error, () -> serverPeer + " server: " + p.server.error);
                assertTrue(events.contains("server key exchange signature " + scheme + " verified"), events.toString());
                assertTrue(events.contains("client certificate sent, signed with " + scheme), events.toString());
                exchange(p);
            }
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    @Test
    void wantClientAuthWithoutCertificate() throws Exception {
        SSLEngine c = client(ours("TLSv1.2", new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours("TLSv1.2", TestPki.keyManagers(EC_LEAF), TestPki.trustManagers(CA)));
        s.setWantClientAuth(true);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertEquals("TLSv1.2", s.getSession().getProtocol());
        exchange(p);
    }

    /** A TLS 1.3+1.2 client meets a TLS 1.2-only server: both settle on TLS 1.2. */
    @Test
    void tls13ClientMeetsTls12Server() throws Exception {
        for (Peer[] roles : new Peer[][] {{Peer.OURS, Peer.OURS}, {Peer.OURS, Peer.JDK}, {Peer.JDK, Peer.OURS}}) {
            SSLEngine c = client(context(roles[0], "TLS", new KeyManager[0], TestPki.trustManagers(CA)));
            SSLEngine s = server(context(roles[1], "TLSv1.2", TestPki.keyManagers(EC_LEAF), TestPki.trustManagers(CA)));
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            EnginePair p = new EnginePair(c, s);
            p.handshake();
            assertNull(p.client.error, () -> "client: " + p.client.error);
            assertNull(p.server.error, () -> "server: " + p.server.error);
            assertEquals("TLSv1.2", c.getSession().getProtocol());
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            exchange(p);
        }
    }

    /** A TLS 1.2-only client meets a TLS 1.3+1.2 server: TLS 1.2, with the downgrade sentinel in the random. */
    @Test
    void tls12ClientMeetsTls13Server() throws Exception {
        for (Peer clientPeer : Peer.values()) {
            SSLEngine c = client(context(clientPeer, "TLSv1.2", new KeyManager[0], TestPki.trustManagers(CA)));
            c.setEnabledProtocols(new String[] {"TLSv1.2"});
            SSLEngine s = server(ours("TLS", TestPki.keyManagers(EC_LEAF), TestPki.trustManagers(CA)));
            EnginePair p = new EnginePair(c, s);
            p.handshake();
            assertNull(p.client.error, () -> "client: " + p.client.error);
            assertNull(p.server.error, () -> "server: " + p.server.error);
            assertEquals("TLSv1.2", c.getSession().getProtocol());
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            exchange(p);
        }
    }

    /** Both sides able to speak TLS 1.3 pick it, ours and the JDK's alike. */
    @Test
    void bothVersionsPreferTls13() throws Exception {
        for (Peer[] roles : new Peer[][] {{Peer.OURS, Peer.OURS}, {Peer.OURS, Peer.JDK}, {Peer.JDK, Peer.OURS}}) {
            SSLEngine c = client(context(roles[0], "TLS", new KeyManager[0], TestPki.trustManagers(CA)));
            SSLEngine s = server(context(roles[1], "TLS", TestPki.keyManagers(RSA_LEAF), TestPki.trustManagers(CA)));
            EnginePair p = new EnginePair(c, s);
            p.handshake();
            assertNull(p.client.error, () -> "client: " + p.client.error);
            assertNull(p.server.error, () -> "server: " + p.server.error);
            assertEquals("TLSv1.3", c.getSession().getProtocol());
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
    }

    @Test
    void alpnAndSni() throws Exception {
        for (Peer serverPeer : Peer.values()) {
            SSLEngine c = client(ours("TLSv1.2", new KeyManager[0], TestPki.trustManagers(CA)));
            SSLParameters cp = c.getSSLParameters();
            cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            c.setSSLParameters(cp);
            SSLEngine s = server(context(serverPeer, "TLSv1.2", TestPki.keyManagers(EC_LEAF), TestPki.trustManagers(CA)));
            SSLParameters sp = s.getSSLParameters();
            sp.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(sp);
            EnginePair p = new EnginePair(c, s);
            p.handshake();
            assertNull(p.client.error, () -> "client: " + p.client.error);
            assertNull(p.server.error, () -> "server: " + p.server.error);
            assertEquals("http/1.1", c.getApplicationProtocol());
            assertEquals("http/1.1", s.getApplicationProtocol());
        }
    }

    @Test
    void providerRegistersTls12Context() throws Exception {
        Provider p = new io.tlsaccel.provider.TlsAccelProvider();
        SSLContext c = SSLContext.getInstance("TLSv1.2", p);
        c.init(new KeyManager[0], TestPki.trustManagers(CA), new SecureRandom());
        assertEquals(List.of("TLSv1.2"), Arrays.asList(c.createSSLEngine().getSupportedProtocols()));
        SSLContext tls = SSLContext.getInstance("TLS", p);
        tls.init(new KeyManager[0], TestPki.trustManagers(CA), new SecureRandom());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Arrays.asList(tls.createSSLEngine().getEnabledProtocols()));
        SSLContext tls13 = SSLContext.getInstance("TLSv1.3", p);
        tls13.init(new KeyManager[0], TestPki.trustManagers(CA), new SecureRandom());
        assertEquals(List.of("TLSv1.3"), Arrays.asList(tls13.createSSLEngine().getEnabledProtocols()));
    }
}
