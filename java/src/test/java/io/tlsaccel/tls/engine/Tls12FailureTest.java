package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.handshake.Tls12Handshake;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.ServerHelloDone;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ExtendedMasterSecret;
import io.tlsaccel.tls.message.RenegotiationInfo;
import io.tlsaccel.tls.message.TlsReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.2 failures: each names the alert, the peer receives it, and both engines end closed
 * (the pump stops, so nothing hangs).
 */
class Tls12FailureTest {
    static final Credential CA = TestPki.newCa("TLS 1.2 failure CA");
    static final Credential LEAF = TestPki.issue(CA, KeyType.EC_P256, "localhost");
    static final Credential RSA_LEAF = TestPki.issue(CA, KeyType.RSA, "localhost");

    private static final Provider TEST_PROVIDER = new Provider("TlsAccelTest12F", "0.1", "test only") {
        private static final long serialVersionUID = 1L;
    };

    static SSLContext ours(SSLContextSpi spi, KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext c = new SSLContext(spi, TEST_PROVIDER, "TLS") {
            };
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext jdk(KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext c = SSLContext.getInstance("TLSv1.2", "SunJSSE");
            c.init(km, tm, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

    /** TLS 1.2-only engines of ours on both sides. */
    static EnginePair pair12() {
        return pair12(LEAF);
    }

    static EnginePair pair12(Credential serverLeaf) {
        SSLEngine c = client(ours(new TlsContextSpi.Tls12(), new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(serverLeaf), TestPki.trustManagers(CA)));
        return new EnginePair(c, s);
    }

    static UnaryOperator<byte[]> serverHelloWithout(int extType) {
        return serverHelloEdited(exts -> exts.removeIf(e -> e.type() == extType));
    }

    /** A server filter that rewrites the ServerHello's extension list with {@code edit}. */
    static UnaryOperator<byte[]> serverHelloEdited(java.util.function.Consumer<List<Extension>> edit) {
        return EngineFaults.replaceMessage(HandshakeType.SERVER_HELLO, m -> {
            try {
                ServerHello sh = ServerHello.decode(new TlsReader(m, 4, m.length - 4));
                List<Extension> exts = new ArrayList<>(sh.extensions());
                edit.accept(exts);
                return new ServerHello(sh.legacyVersion(), sh.random(), sh.legacySessionIdEcho(), sh.cipherSuite(),
                        sh.legacyCompressionMethod(), exts).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void unsolicitedAlpnInServerHello() throws Exception {
        EnginePair p = pair12(); // the client offers no ALPN
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                serverHelloEdited(exts -> exts.add(io.tlsaccel.tls.message.Extensions.alpn(List.of("h2")))));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unsupported_extension");
    }

    @Test
    void badServerKeyExchangeSignature() throws Exception {
        for (Credential leaf : new Credential[] {LEAF, RSA_LEAF}) {
            EnginePair p = pair12(leaf);
            EngineFaults.corruptOutgoing(p.server.engine, HandshakeType.SERVER_KEY_EXCHANGE);
            p.handshake();
            EngineFaults.assertAlert(p.client, p.server, "decrypt_error");
        }
    }

    @Test
    void clientWithoutExtendedMasterSecret() throws Exception {
        EnginePair p = pair12();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(
                EngineFaults.clientHelloWithout(ExtensionType.EXTENDED_MASTER_SECRET));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "handshake_failure");
    }

    @Test
    void serverWithoutExtendedMasterSecret() throws Exception {
        EnginePair p = pair12();
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                serverHelloWithout(ExtensionType.EXTENDED_MASTER_SECRET));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "handshake_failure");
    }

    /**
     * With the requirement relaxed, a ClientHello without RFC 7627 is accepted and the RFC 5246
     * 8.1 master secret is used. (The hello is rewritten after it entered the client's
     * transcript, so the handshake still ends at Finished: decrypt_error, not handshake_failure.)
     */
    @Test
    void extendedMasterSecretCanBeRelaxed() throws Exception {
        String old = System.getProperty(Tls12Handshake.REQUIRE_EMS_PROPERTY);
        System.setProperty(Tls12Handshake.REQUIRE_EMS_PROPERTY, "false");
        try {
            EnginePair p = pair12();
            ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(
                    EngineFaults.clientHelloWithout(ExtensionType.EXTENDED_MASTER_SECRET));
            p.handshake();
            EngineFaults.assertAlert(p.server, p.client, "decrypt_error");
        } finally {
            if (old == null) {
                System.clearProperty(Tls12Handshake.REQUIRE_EMS_PROPERTY);
            } else {
                System.setProperty(Tls12Handshake.REQUIRE_EMS_PROPERTY, old);
            }
        }
    }

    private static final byte[] CCS_RECORD = {20, 3, 3, 0, 1, 1};

    private static UnaryOperator<ByteBuffer> prependOnce(byte[] record) {
        boolean[] done = {false};
        return b -> {
            if (done[0]) {
                return b;
            }
            done[0] = true;
            ByteBuffer out = ByteBuffer.allocate(record.length + b.remaining());
            out.put(record).put(b).flip();
            return out;
        };
    }

    @Test
    void changeCipherSpecBeforeClientHello() throws Exception {
        EnginePair p = pair12();
        p.clientToServer = prependOnce(CCS_RECORD);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "unexpected_message");
    }

    @Test
    void changeCipherSpecBeforeServerHello() throws Exception {
        EnginePair p = pair12();
        p.serverToClient = prependOnce(CCS_RECORD);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unexpected_message");
    }

    @Test
    void tamperedClientFinished() throws Exception {
        EnginePair p = pair12();
        EngineFaults.corruptOutgoing(p.client.engine, HandshakeType.FINISHED);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "decrypt_error");
    }

    @Test
    void tamperedServerFinished() throws Exception {
        EnginePair p = pair12();
        EngineFaults.corruptOutgoing(p.server.engine, HandshakeType.FINISHED);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "decrypt_error");
    }

    /**
     * RSA key transport with a corrupted ciphertext: no alert at decryption (RFC 5246 7.4.7.1);
     * the random pre-master secret gives other keys, so the client's Finished record fails.
     */
    @Test
    void corruptedRsaPremasterSecret() throws Exception {
        EnginePair p = pair12(RSA_LEAF);
        p.client.engine.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"});
        EngineFaults.corruptOutgoing(p.client.engine, HandshakeType.CLIENT_KEY_EXCHANGE);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "bad_record_mac");
    }

    /** RFC 5246 E.1: a ClientHello record may say {3, 1} (OpenSSL's does), even to a TLS 1.2-only server. */
    @Test
    void clientHelloRecordVersion31IsAccepted() throws Exception {
        EnginePair p = pair12();
        boolean[] done = {false};
        p.clientToServer = b -> {
            if (!done[0] && b.remaining() > 2) {
                done[0] = true;
                b.put(b.position() + 2, (byte) 1);
            }
            return b;
        };
        p.handshake();
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertEquals("TLSv1.2", p.server.engine.getSession().getProtocol());
    }

    /** RFC 5246 6.2.1: once TLS 1.2 is negotiated, a record saying {3, 1} is refused. */
    @Test
    void wrongRecordVersionAfterHandshake() throws Exception {
        EnginePair p = pair12();
        p.handshake();
        assertNull(p.client.error);
        p.serverToClient = b -> {
            if (b.remaining() > 2) {
                b.put(b.position() + 2, (byte) 1);
            }
            return b;
        };
        p.server.toSend = ByteBuffer.wrap(new byte[100]);
        p.pump();
        EngineFaults.assertAlert(p.client, p.server, "protocol_version");
    }

    /** RFC 5246 7.2.2: a warning alert leaves a TLS 1.2 connection usable both ways. */
    @Test
    void warningAlertIsNotFatal() throws Exception {
        EnginePair p = pair12();
        p.handshake();
        ((TlsEngine) p.server.engine).sendWarningForTesting(io.tlsaccel.tls.message.AlertDescription.NO_RENEGOTIATION);
        p.pump();
        assertNull(p.client.error);
        assertNull(p.server.error);
        byte[] data = "still here".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(data, p.send(p.server, data));
        assertArrayEquals(data, p.send(p.client, data));
    }

    /** RFC 5246 7.4.1.1: a HelloRequest while the handshake is running is ignored. */
    @Test
    void helloRequestDuringHandshakeIsIgnored() throws Exception {
        EnginePair p = pair12();
        ((TlsEngine) p.server.engine).sendHandshakeForTesting(new byte[] {0, 0, 0, 0});
        p.handshake();
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertEquals("TLSv1.2", p.client.engine.getSession().getProtocol());
    }

    @Test
    void helloRequestIsRefused() throws Exception {
        EnginePair p = pair12();
        p.handshake();
        assertNull(p.client.error);
        ((TlsEngine) p.server.engine).sendHandshakeForTesting(new byte[] {0, 0, 0, 0});
        p.pump();
        EngineFaults.assertAlert(p.client, p.server, "handshake_failure");
    }

    @Test
    void clientHelloAfterHandshakeIsRefused() throws Exception {
        EnginePair p = pair12();
        p.handshake();
        assertNull(p.server.error);
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0xc02b}, new byte[] {0},
                List.of(RenegotiationInfo.initial()));
        ((TlsEngine) p.client.engine).sendHandshakeForTesting(ch.encode());
        p.pump();
        EngineFaults.assertAlert(p.server, p.client, "handshake_failure");
    }

    @Test
    void jdkClientRenegotiationIsRefused() throws Exception {
        SSLEngine c = client(jdk(new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(LEAF), TestPki.trustManagers(CA)));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertEquals("TLSv1.2", c.getSession().getProtocol());
        c.beginHandshake();
        p.pump();
        assertNotNull(p.server.error);
        assertTrue(p.server.error.getMessage().contains("handshake_failure"), p.server.error.getMessage());
        EngineFaults.assertClosed(s);
    }

    /** A 1.3+1.2 client whose supported_versions is stripped on the way sees DOWNGRD\x01 and aborts. */
    @Test
    void downgradeSentinelDetected() throws Exception {
        SSLEngine c = client(ours(new TlsContextSpi.Tls(), new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls(), TestPki.keyManagers(LEAF), TestPki.trustManagers(CA)));
        ((TlsEngine) c).setOutgoingHandshakeFilterForTesting(EngineFaults.clientHelloWithout(ExtensionType.SUPPORTED_VERSIONS));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "illegal_parameter");
    }

    /** RFC 7507: TLS_FALLBACK_SCSV from a 1.2 client to a server that speaks 1.3. */
    @Test
    void inappropriateFallback() throws Exception {
        SSLEngine c = client(ours(new TlsContextSpi.Tls12(), new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls(), TestPki.keyManagers(LEAF), TestPki.trustManagers(CA)));
        ((TlsEngine) c).setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            try {
                ClientHello ch = ClientHello.decode(new TlsReader(m, 4, m.length - 4));
                int[] suites = java.util.Arrays.copyOf(ch.cipherSuites(), ch.cipherSuites().length + 1);
                suites[suites.length - 1] = 0x5600;
                return new ClientHello(ch.legacyVersion(), ch.random(), ch.legacySessionId(), suites,
                        ch.legacyCompressionMethods(), ch.extensions()).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "inappropriate_fallback");
    }

    @Test
    void tls10IsRefused() throws Exception {
        SSLEngine c = client(ours(new TlsContextSpi.Tls12(), new KeyManager[0], TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls(), TestPki.keyManagers(LEAF), TestPki.trustManagers(CA)));
        ((TlsEngine) c).setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            byte[] x = m.clone();
            x[5] = 1; // client_version {3, 1}
            return x;
        }));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "protocol_version");
    }

    @Test
    void revokedClientCertificate() throws Exception {
        Credential clientLeaf = TestPki.issue(CA, KeyType.EC_P256, "client.example");
        SSLEngine c = client(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(clientLeaf), TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(LEAF),
                crlTrustManagers(CA, revoking(CA, clientLeaf.certificate().getSerialNumber()))));
        s.setNeedClientAuth(true);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "certificate_revoked");
    }

    @Test
    void unrevokedClientCertificatePassesCrlCheck() throws Exception {
        Credential clientLeaf = TestPki.issue(CA, KeyType.EC_P256, "client.example");
        SSLEngine c = client(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(clientLeaf), TestPki.trustManagers(CA)));
        SSLEngine s = server(ours(new TlsContextSpi.Tls12(), TestPki.keyManagers(LEAF),
                crlTrustManagers(CA, revoking(CA, BigInteger.valueOf(12345)))));
        s.setNeedClientAuth(true);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertArrayEquals(clientLeaf.certificate().getEncoded(), s.getSession().getPeerCertificates()[0].getEncoded());
    }

    /** A CRL from {@code ca} listing {@code serial} as revoked. */
    static X509CRL revoking(Credential ca, BigInteger serial) throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                Date.from(now.minus(Duration.ofHours(1))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        b.addCRLEntry(serial, Date.from(now.minus(Duration.ofMinutes(30))), 1 /* keyCompromise */);
        return new JcaX509CRLConverter().getCRL(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate())));
    }

    /** PKIX trust managers trusting {@code ca} with revocation checking against {@code crl}. */
    static TrustManager[] crlTrustManagers(Credential ca, X509CRL crl) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        PKIXBuilderParameters params = new PKIXBuilderParameters(ks, new X509CertSelector());
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        params.setRevocationEnabled(true);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(params));
        return tmf.getTrustManagers();
    }
}
