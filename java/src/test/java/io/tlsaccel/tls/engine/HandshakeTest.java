package io.tlsaccel.tls.engine;

import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.engine.TlsEngine;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Successful handshakes: ours <-> ours, ours <-> SunJSSE, for every suite, group and key type. */
class HandshakeTest {
    static final Credential CA = TestPki.newCa("Test CA");
    static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
    static final String[] GROUPS = {"x25519", "secp256r1", "secp384r1"};

    static Stream<Arguments> suitesAndGroups() {
        return Arrays.stream(SUITES).flatMap(s -> Arrays.stream(GROUPS).map(g -> Arguments.of(s, g)));
    }

    static SSLContext serverContext(boolean ours, KeyType type) {
        Credential leaf = TestPki.issue(CA, type, "localhost");
        return ours ? Contexts.ours(TestPki.keyManagers(leaf), TestPki.trustManagers(CA))
                : Contexts.jdk(TestPki.keyManagers(leaf), TestPki.trustManagers(CA));
    }

    static SSLContext clientContext(boolean ours, Credential clientCert) {
        var km = clientCert == null ? new javax.net.ssl.KeyManager[0] : TestPki.keyManagers(clientCert);
        return ours ? Contexts.ours(km, TestPki.trustManagers(CA)) : Contexts.jdk(km, TestPki.trustManagers(CA));
    }

    static SSLEngine client(SSLContext ctx, String suite) {
        SSLEngine e = ctx.createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (suite != null) {
            p.setCipherSuites(new String[] {suite});
        }
        e.setSSLParameters(p);
        return e;
    }

    static SSLEngine server(SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    static void exchange(EnginePair pair) {
        byte[] ping = "ping from client".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(ping, pair.send(pair.client, ping));
        byte[] pong = new byte[40000];
        Arrays.fill(pong, (byte) 7);
        assertArrayEquals(pong, pair.send(pair.server, pong));
    }

    static void assertEstablished(EnginePair pair, String suite) {
        assertNull(pair.client.error, () -> "client: " + pair.client.error);
        assertNull(pair.server.error, () -> "server: " + pair.server.error);
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, pair.client.engine.getHandshakeStatus());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, pair.server.engine.getHandshakeStatus());
        assertEquals("TLSv1.3", pair.client.engine.getSession().getProtocol());
        assertEquals("TLSv1.3", pair.server.engine.getSession().getProtocol());
        if (suite != null) {
            assertEquals(suite, pair.client.engine.getSession().getCipherSuite());
            assertEquals(suite, pair.server.engine.getSession().getCipherSuite());
        }
    }

    static void closeAndCheck(EnginePair pair) {
        pair.closeBoth();
        assertTrue(pair.client.engine.isOutboundDone());
        assertTrue(pair.server.engine.isOutboundDone());
        assertTrue(pair.client.engine.isInboundDone(), "client inbound done");
        assertTrue(pair.server.engine.isInboundDone(), "server inbound done");
    }

    @ParameterizedTest
    @MethodSource("suitesAndGroups")
    void oursToOurs(String suite, String group) throws Exception {
        SSLEngine c = client(clientContext(true, null), suite);
        ((TlsEngine) c).setNamedGroups(new String[] {group});
        SSLEngine s = server(serverContext(true, KeyType.EC_P256));
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEstablished(pair, suite);
        assertTrue(pair.client.finishedSeen && pair.server.finishedSeen, "FINISHED reported on both sides");
        exchange(pair);
        closeAndCheck(pair);
    }

    @ParameterizedTest
    @MethodSource("suitesAndGroups")
    void oursToJdkServer(String suite, String group) throws Exception {
        SSLEngine c = client(clientContext(true, null), suite);
        ((TlsEngine) c).setNamedGroups(new String[] {group});
        SSLEngine s = server(serverContext(false, KeyType.EC_P256));
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEstablished(pair, suite);
        exchange(pair);
        closeAndCheck(pair);
    }

    @ParameterizedTest
    @MethodSource("suitesAndGroups")
    void jdkClientToOurs(String suite, String group) throws Exception {
        SSLEngine c = client(clientContext(false, null), suite);
        SSLEngine s = server(serverContext(true, KeyType.EC_P256));
        // The JDK client sends x25519 and secp256r1 shares; secp384r1 forces a HelloRetryRequest.
        ((TlsEngine) s).setNamedGroups(new String[] {group});
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEstablished(pair, suite);
        exchange(pair);
        closeAndCheck(pair);
    }

    static Stream<Arguments> keyTypesAndPeers() {
        return Stream.of(KeyType.EC_P256, KeyType.EC_P384, KeyType.RSA, KeyType.ED25519).flatMap(k ->
                Stream.of(Arguments.of(k, "ours", "ours"), Arguments.of(k, "ours", "jdk"), Arguments.of(k, "jdk", "ours")));
    }

    @ParameterizedTest
    @MethodSource("keyTypesAndPeers")
    void certificateKeyTypesWithClientAuth(KeyType type, String clientImpl, String serverImpl) throws Exception {
        Credential clientCert = TestPki.issue(CA, type, "client.example");
        SSLEngine c = client(clientContext(clientImpl.equals("ours"), clientCert), null);
        SSLEngine s = server(serverContext(serverImpl.equals("ours"), type));
        s.setNeedClientAuth(true);
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEstablished(pair, null);
        X509Certificate peer = (X509Certificate) pair.server.engine.getSession().getPeerCertificates()[0];
        assertTrue(peer.getSubjectX500Principal().getName().contains("client.example"));
        X509Certificate srv = (X509Certificate) pair.client.engine.getSession().getPeerCertificates()[0];
        assertEquals(TestPki.keyPair(type).getPublic(), srv.getPublicKey());
        exchange(pair);
        closeAndCheck(pair);
    }

    @Test
    void wantClientAuthWithoutClientCertificate() throws Exception {
        for (String[] impl : new String[][] {{"ours", "ours"}, {"jdk", "ours"}, {"ours", "jdk"}}) {
            SSLEngine c = client(clientContext(impl[0].equals("ours"), null), null);
            SSLEngine s = server(serverContext(impl[1].equals("ours"), KeyType.EC_P256));
            s.setWantClientAuth(true);
            EnginePair pair = new EnginePair(c, s);
            pair.handshake();
            assertEstablished(pair, null);
            exchange(pair);
            closeAndCheck(pair);
        }
    }

    @Test
    void alpnAndSni() throws Exception {
        for (boolean jdkPeer : new boolean[] {false, true}) {
            SSLEngine c = client(clientContext(true, null), null);
            SSLParameters cp = c.getSSLParameters();
            cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            c.setSSLParameters(cp);
            SSLEngine s = server(serverContext(!jdkPeer, KeyType.EC_P256));
            SSLParameters sp = s.getSSLParameters();
            sp.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(sp);
            EnginePair pair = new EnginePair(c, s);
            pair.handshake();
            assertEstablished(pair, null);
            assertEquals("http/1.1", c.getApplicationProtocol());
            assertEquals("http/1.1", s.getApplicationProtocol());
            List<?> names = ((javax.net.ssl.ExtendedSSLSession) s.getSession()).getRequestedServerNames();
            assertEquals(1, names.size());
            closeAndCheck(pair);
        }
    }

    @Test
    void keyUpdateBothWays() throws Exception {
        SSLEngine c = client(clientContext(true, null), null);
        SSLEngine s = server(serverContext(true, KeyType.EC_P256));
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEstablished(pair, null);
        // beginHandshake after completion sends a KeyUpdate (TLS 1.3 has no renegotiation).
        c.beginHandshake();
        exchange(pair);
        s.beginHandshake();
        exchange(pair);
        closeAndCheck(pair);
    }

    @Test
    void clientHelloSpanningSeveralRecords() throws Exception {
        String[] protocols = new String[101];
        for (int i = 0; i < 100; i++) {
            protocols[i] = "proto-" + i + "-" + "x".repeat(200);
        }
        protocols[100] = "http/1.1";
        for (boolean jdkServer : new boolean[] {false, true}) {
            SSLEngine c = client(clientContext(true, null), null);
            SSLParameters cp = c.getSSLParameters();
            cp.setApplicationProtocols(protocols);
            c.setSSLParameters(cp);
            SSLEngine s = server(serverContext(!jdkServer, KeyType.EC_P256));
            SSLParameters sp = s.getSSLParameters();
            sp.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(sp);
            EnginePair pair = new EnginePair(c, s);
            pair.handshake();
            assertEstablished(pair, null);
            assertEquals("http/1.1", s.getApplicationProtocol());
            closeAndCheck(pair);
        }
    }
}
