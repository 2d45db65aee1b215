package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Resumption, TLS 1.3 (RFC 8446 2.2) and TLS 1.2 (RFC 5246 7.3, RFC 5077), between our engines and with SunJSSE, in memory. */
class ResumptionTest {
    static final Credential CA = TestPki.newCa("Resumption CA");
    static final Credential SERVER = TestPki.issue(CA, KeyType.EC_P256, "localhost");
    static final Credential CLIENT = TestPki.issue(CA, KeyType.EC_P256);

    static SSLContext server(boolean ours) {
        return ours ? Tls12HandshakeTest.ours("TLS", TestPki.keyManagers(SERVER), TestPki.trustManagers(CA))
                : Tls12HandshakeTest.jdk("TLS", TestPki.keyManagers(SERVER), TestPki.trustManagers(CA));
    }

    static SSLContext client(boolean ours, boolean withCertificate) {
        KeyManager[] km = withCertificate ? TestPki.keyManagers(CLIENT) : new KeyManager[0];
        return ours ? Tls12HandshakeTest.ours("TLS", km, TestPki.trustManagers(CA))
                : Tls12HandshakeTest.jdk("TLS", km, TestPki.trustManagers(CA));
    }

    /** One connection: handshake, a byte each way (which also carries the tickets), close. */
    static EnginePair connect(SSLContext clientCtx, SSLContext serverCtx, String protocol, boolean needClientAuth)
            throws Exception {
        SSLEngine c = clientCtx.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = serverCtx.createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(needClientAuth);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertArrayEquals(new byte[] {1}, p.send(p.client, new byte[] {1}));
        assertArrayEquals(new byte[] {2}, p.send(p.server, new byte[] {2}));
        assertNull(p.client.error);
        assertNull(p.server.error);
        return p;
    }

    static boolean resumed(SSLEngine e) {
        return ((TlsSession) e.getSession()).isResumed();
    }

    @Test
    void secondConnectionResumes() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        EnginePair first = connect(cc, sc, "TLSv1.3", false);
        assertFalse(resumed(first.client.engine));
        assertFalse(resumed(first.server.engine));
        EnginePair second = connect(cc, sc, "TLSv1.3", false);
        assertTrue(resumed(second.client.engine));
        assertTrue(resumed(second.server.engine));
        assertEquals(first.client.engine.getSession().getCipherSuite(), second.client.engine.getSession().getCipherSuite());
        assertEquals("TLSv1.3", second.client.engine.getSession().getProtocol());
        assertArrayEquals(first.client.engine.getSession().getPeerCertificates(),
                second.client.engine.getSession().getPeerCertificates());
        // each ticket is used once; the resumed connection brought new ones
        assertTrue(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
    }

    @Test
    void clientAuthenticationSurvivesResumption() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, true);
        EnginePair first = connect(cc, sc, "TLSv1.3", true);
        EnginePair second = connect(cc, sc, "TLSv1.3", true);
        assertTrue(resumed(second.server.engine));
        assertArrayEquals(first.server.engine.getSession().getPeerCertificates(),
                second.server.engine.getSession().getPeerCertificates());
        assertEquals(CLIENT.certificate(), second.server.engine.getSession().getPeerCertificates()[0]);
    }

    @Test
    void invalidatedSessionIsNotResumed() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false).client.engine.getSession().invalidate();
        assertFalse(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
        // invalidated on the server: its tickets are refused
        EnginePair p = connect(cc, sc, "TLSv1.3", false);
        p.server.engine.getSession().invalidate();
        assertFalse(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
    }

    @Test
    void otherServerKeysMeanAFullHandshake() throws Exception {
        SSLContext cc = client(true, false);
        connect(cc, server(true), "TLSv1.3", false);
        EnginePair other = connect(cc, server(true), "TLSv1.3", false); // another server: other ticket keys
        assertFalse(resumed(other.client.engine));
        assertFalse(resumed(other.server.engine));
    }

    @Test
    void differentServerNameIsNotResumed() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        SSLEngine c = cc.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        SSLParameters p = c.getSSLParameters();
        p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("other.example")));
        c.setSSLParameters(p);
        SSLEngine s = sc.createSSLEngine();
        s.setUseClientMode(false);
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertFalse(resumed(s)); // the client keys its tickets by server name: none offered
    }

    @Test
    void jdkClientResumesWithOurServer() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(false, false);
        connect(cc, sc, "TLSv1.3", false);
        assertTrue(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
    }

    @Test
    void ourClientResumesWithJdkServer() throws Exception {
        SSLContext sc = server(false);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        assertTrue(resumed(connect(cc, sc, "TLSv1.3", false).client.engine));
    }

    @Test
    void helloRetryRequestWithATicket() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        SSLEngine c = cc.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        SSLEngine s = sc.createSSLEngine();
        s.setUseClientMode(false);
        ((TlsEngine) s).setNamedGroups(new String[] {"secp256r1"}); // our client's first share is x25519
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertTrue(resumed(s));
    }

    // ---- what must not resume, and how it fails ----

    static final String PEER = "localhost:8443/localhost";

    static TlsSessionContext clientSessions(SSLContext cc) {
        return (TlsSessionContext) cc.getClientSessionContext();
    }

    @Test
    void wrongBinderIsDecryptError() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        TlsEngine c = (TlsEngine) cc.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        c.setOutgoingHandshakeFilterForTesting(m -> {
            if (m[0] == 1) { // the binder is the ClientHello's last bytes
                m = m.clone();
                m[m.length - 1] ^= 1;
            }
            return m;
        });
        SSLEngine s = sc.createSSLEngine();
        s.setUseClientMode(false);
        EnginePair p = new EnginePair(c, s);
        p.pump();
        assertTrue(p.server.error != null && p.server.error.getMessage().contains("binder"), String.valueOf(p.server.error));
        assertTrue(p.client.error != null && p.client.error.getMessage().contains("decrypt_error"), String.valueOf(p.client.error));
    }

    @Test
    void tamperedTicketMeansAFullHandshake() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        io.tlsaccel.tls.session.ClientTicket t = clientSessions(cc).takeTicket(PEER);
        byte[] tampered = t.ticket().clone();
        tampered[tampered.length / 2] ^= 1;
        clientSessions(cc).storeTicket(PEER, new io.tlsaccel.tls.session.ClientTicket(tampered, t.state()));
        EnginePair p = connect(cc, sc, "TLSv1.3", false);
        assertFalse(resumed(p.server.engine));
    }

    @Test
    void ticketForAnotherServerNameMeansAFullHandshake() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        io.tlsaccel.tls.session.ClientTicket t = clientSessions(cc).takeTicket(PEER);
        clientSessions(cc).storeTicket("localhost:8443/other.example", t); // as if offered for another name
        SSLEngine c = cc.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        SSLParameters params = c.getSSLParameters();
        params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("other.example")));
        c.setSSLParameters(params);
        SSLEngine s = sc.createSSLEngine();
        s.setUseClientMode(false);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.server.error);
        assertFalse(resumed(s));
    }

    @Test
    void expiredTicketMeansAFullHandshake() throws Exception {
        SSLContext sc = server(true);
        ((TlsSessionContext) sc.getServerSessionContext()).setTicketLifetime(java.time.Duration.ofSeconds(1));
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        io.tlsaccel.tls.session.ClientTicket t = clientSessions(cc).takeTicket(PEER);
        Thread.sleep(1100);
        // The client's own copy made to look fresh, so that only the server's check can refuse it.
        io.tlsaccel.tls.session.ResumptionState st = t.state();
        clientSessions(cc).storeTicket(PEER, new io.tlsaccel.tls.session.ClientTicket(t.ticket(),
                new io.tlsaccel.tls.session.ResumptionState(st.version(), st.suite(), st.secret(), System.currentTimeMillis(),
                        3600, st.ageAdd(), st.serverName(), st.sessionId(), st.peerCertificates())));
        assertFalse(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
    }

    @Test
    void pskWhoseHashDoesNotFitTheSuiteMeansAFullHandshake() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        SSLEngine c1 = cc.createSSLEngine("localhost", 8443);
        c1.setUseClientMode(true);
        SSLEngine s1 = sc.createSSLEngine();
        s1.setUseClientMode(false);
        s1.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
        EnginePair first = new EnginePair(c1, s1);
        first.handshake();
        first.send(first.server, new byte[] {1});
        SSLEngine c2 = cc.createSSLEngine("localhost", 8443);
        c2.setUseClientMode(true);
        SSLEngine s2 = sc.createSSLEngine();
        s2.setUseClientMode(false);
        s2.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        EnginePair second = new EnginePair(c2, s2);
        second.handshake();
        assertNull(second.server.error);
        assertNull(second.client.error);
        assertFalse(resumed(s2));
    }

    @Test
    void noTicketsWhenTheServerSendsNone() throws Exception {
        SSLContext sc = server(true);
        ((TlsSessionContext) sc.getServerSessionContext()).setTicketCount(0);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.3", false);
        assertFalse(resumed(connect(cc, sc, "TLSv1.3", false).server.engine));
    }

    @Test
    void sessionContextListsSessions() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        EnginePair p = connect(cc, sc, "TLSv1.3", false);
        byte[] id = p.server.engine.getSession().getId();
        assertEquals(p.server.engine.getSession(), sc.getServerSessionContext().getSession(id));
        assertTrue(java.util.Collections.list(sc.getServerSessionContext().getIds()).stream().anyMatch(i -> java.util.Arrays.equals(i, id)));
        sc.getServerSessionContext().setSessionCacheSize(1);
        assertEquals(1, sc.getServerSessionContext().getSessionCacheSize());
        sc.getServerSessionContext().setSessionTimeout(5);
        assertEquals(5, sc.getServerSessionContext().getSessionTimeout());
    }

    // ---- TLS 1.2 (RFC 5246 7.3, RFC 5077) ----

    @Test
    void tls12TicketResumes() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, false);
        EnginePair first = connect(cc, sc, "TLSv1.2", false);
        assertFalse(resumed(first.server.engine));
        EnginePair second = connect(cc, sc, "TLSv1.2", false);
        assertTrue(resumed(second.client.engine));
        assertTrue(resumed(second.server.engine));
        assertEquals("TLSv1.2", second.client.engine.getSession().getProtocol());
        assertEquals(first.client.engine.getSession().getCipherSuite(), second.client.engine.getSession().getCipherSuite());
        assertArrayEquals(first.client.engine.getSession().getPeerCertificates(),
                second.client.engine.getSession().getPeerCertificates());
        assertTrue(resumed(connect(cc, sc, "TLSv1.2", false).server.engine));
    }

    @Test
    void tls12SessionIdResumes() throws Exception {
        SSLContext sc = server(true);
        ((TlsSessionContext) sc.getServerSessionContext()).setTicketCount(0); // no tickets: session IDs only
        SSLContext cc = client(true, false);
        EnginePair first = connect(cc, sc, "TLSv1.2", false);
        EnginePair second = connect(cc, sc, "TLSv1.2", false);
        assertTrue(resumed(second.server.engine));
        assertArrayEquals(first.server.engine.getSession().getId(), second.server.engine.getSession().getId());
        assertArrayEquals(first.server.engine.getSession().getId(), second.client.engine.getSession().getId());
    }

    @Test
    void tls12ClientAuthenticationSurvivesResumption() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(true, true);
        connect(cc, sc, "TLSv1.2", true);
        EnginePair second = connect(cc, sc, "TLSv1.2", true);
        assertTrue(resumed(second.server.engine));
        assertEquals(CLIENT.certificate(), second.server.engine.getSession().getPeerCertificates()[0]);
    }

    @Test
    void tls12InvalidatedSessionIsNotResumed() throws Exception {
        SSLContext sc = server(true);
        ((TlsSessionContext) sc.getServerSessionContext()).setTicketCount(0);
        SSLContext cc = client(true, false);
        EnginePair p = connect(cc, sc, "TLSv1.2", false);
        p.server.engine.getSession().invalidate();
        assertFalse(resumed(connect(cc, sc, "TLSv1.2", false).server.engine));
    }

    @Test
    void tls12JdkClientResumesWithOurServer() throws Exception {
        SSLContext sc = server(true);
        SSLContext cc = client(false, false);
        connect(cc, sc, "TLSv1.2", false);
        assertTrue(resumed(connect(cc, sc, "TLSv1.2", false).server.engine));
    }

    @Test
    void tls12OurClientResumesWithJdkServer() throws Exception {
        SSLContext sc = server(false);
        SSLContext cc = client(true, false);
        connect(cc, sc, "TLSv1.2", false);
        assertTrue(resumed(connect(cc, sc, "TLSv1.2", false).client.engine));
    }

    // ---- a fleet: servers sharing one ticket key file ----

    @Test
    void fleetSharesTicketKeysThroughAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("fleet.keys");
        io.tlsaccel.tls.ticket.TicketKeyFile.rotate(file, new java.security.SecureRandom());
        SSLContext a = server(true);
        SSLContext b = server(true);
        ((TlsSessionContext) a.getServerSessionContext()).setTicketKeys(io.tlsaccel.tls.ticket.TicketKeyFile.watch(file));
        ((TlsSessionContext) b.getServerSessionContext()).setTicketKeys(io.tlsaccel.tls.ticket.TicketKeyFile.watch(file));
        SSLContext cc = client(true, false);
        connect(cc, a, "TLSv1.3", false);
        assertTrue(resumed(connect(cc, b, "TLSv1.3", false).server.engine), "resumed on the other server");
        connect(cc, a, "TLSv1.2", false);
        assertTrue(resumed(connect(cc, b, "TLSv1.2", false).server.engine), "TLS 1.2 ticket resumed on the other server");
        // The client holds a ticket sealed under the current key; two rotations retire that key.
        io.tlsaccel.tls.ticket.TicketKeyFile.rotate(file, new java.security.SecureRandom());
        io.tlsaccel.tls.ticket.TicketKeyFile.rotate(file, new java.security.SecureRandom());
        Thread.sleep(1100); // the servers look at the file at most once a second
        assertFalse(resumed(connect(cc, b, "TLSv1.2", false).server.engine), "a ticket under a retired key resumes nothing");
    }
}
