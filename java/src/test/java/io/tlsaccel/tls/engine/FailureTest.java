package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EncryptedExtensions;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.TlsReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Bad input: the right alert is sent, the peer sees it, and both engines end closed. */
class FailureTest {
    static final Credential CA = TestPki.newCa("Failure CA");
    static final Credential OTHER_CA = TestPki.newCa("Other CA");

    private static SSLContext ours(KeyManager[] km, Credential trusted) {
        return Contexts.ours(km, TestPki.trustManagers(trusted));
    }

    private static TlsEngine client(SSLContext ctx, String host) {
        TlsEngine e = (TlsEngine) ctx.createSSLEngine(host, 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
        return e;
    }

    private static SSLEngine server(SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    private static EnginePair pair(Credential serverLeaf, Credential clientTrusts, String host) {
        SSLEngine c = client(ours(new KeyManager[0], clientTrusts), host);
        SSLEngine s = server(ours(TestPki.keyManagers(serverLeaf), CA));
        return new EnginePair(c, s);
    }

    private static EnginePair normalPair() {
        return pair(TestPki.issue(CA, KeyType.EC_P256, "localhost"), CA, "localhost");
    }

    @Test
    void expiredCertificate() throws Exception {
        Instant now = Instant.now();
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), "localhost");
        EnginePair p = pair(leaf, CA, "localhost");
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "certificate_expired");
    }

    @Test
    void unknownCa() throws Exception {
        EnginePair p = pair(TestPki.issue(CA, KeyType.EC_P256, "localhost"), OTHER_CA, "localhost");
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unknown_ca");
    }

    @Test
    void unknownCaAgainstJdkServer() throws Exception {
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, "localhost");
        SSLEngine c = client(ours(new KeyManager[0], OTHER_CA), "localhost");
        SSLEngine s = server(Contexts.jdk(TestPki.keyManagers(leaf), TestPki.trustManagers(CA)));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unknown_ca");
    }

    @Test
    void wrongHostName() throws Exception {
        EnginePair p = pair(TestPki.issue(CA, KeyType.EC_P256, "localhost"), CA, "wrong.example");
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "certificate_unknown", "bad_certificate");
    }

    @Test
    void clientCertificateFromUnknownCa() throws Exception {
        Credential clientLeaf = TestPki.issue(OTHER_CA, KeyType.EC_P256, "client.example");
        SSLEngine c = client(ours(TestPki.keyManagers(clientLeaf), CA), "localhost");
        SSLEngine s = server(ours(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost")), CA));
        s.setNeedClientAuth(true);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "unknown_ca");
    }

    @Test
    void missingClientCertificateWhenNeeded() throws Exception {
        EnginePair p = normalPair();
        p.server.engine.setNeedClientAuth(true);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "certificate_required");
    }

    @Test
    void badCertificateVerify() throws Exception {
        EnginePair p = normalPair();
        EngineFaults.corruptOutgoing(p.server.engine, HandshakeType.CERTIFICATE_VERIFY);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "decrypt_error");
    }

    @Test
    void tamperedServerFinished() throws Exception {
        EnginePair p = normalPair();
        EngineFaults.corruptOutgoing(p.server.engine, HandshakeType.FINISHED);
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "decrypt_error");
    }

    @Test
    void tamperedClientFinished() throws Exception {
        EnginePair p = normalPair();
        EngineFaults.corruptOutgoing(p.client.engine, HandshakeType.FINISHED);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "decrypt_error");
    }

    @Test
    void tamperedClientFinishedAgainstJdkServer() throws Exception {
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, "localhost");
        TlsEngine c = client(ours(new KeyManager[0], CA), "localhost");
        EngineFaults.corruptOutgoing(c, HandshakeType.FINISHED);
        SSLEngine s = server(Contexts.jdk(TestPki.keyManagers(leaf), TestPki.trustManagers(CA)));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNotNull(p.server.error);
        assertNotNull(p.client.error, "client saw the JDK's alert");
        assertTrue(p.client.error.getMessage().contains("Received fatal alert"), p.client.error.getMessage());
        EngineFaults.assertClosed(c);
    }

    @Test
    void bitFlippedRecord() throws Exception {
        EnginePair p = normalPair();
        p.handshake();
        p.serverToClient = b -> {
            if (b.remaining() > 10) {
                b.put(b.limit() - 3, (byte) (b.get(b.limit() - 3) ^ 0x10));
            }
            return b;
        };
        p.send(p.server, "hello".getBytes(StandardCharsets.UTF_8));
        EngineFaults.assertAlert(p.client, p.server, "bad_record_mac");
    }

    @Test
    void oversizedProtectedRecord() throws Exception {
        EnginePair p = normalPair();
        p.handshake();
        int len = (1 << 14) + 256 + 1;
        ByteBuffer rec = ByteBuffer.allocate(5 + len);
        rec.put((byte) 23).put((byte) 3).put((byte) 3).put((byte) (len >>> 8)).put((byte) len);
        rec.position(0);
        SSLException e = org.junit.jupiter.api.Assertions.assertThrows(SSLException.class,
                () -> p.server.engine.unwrap(rec, ByteBuffer.allocate(1 << 15)));
        assertTrue(e.getMessage().contains("record_overflow"), e.getMessage());
        p.server.error = e;
        p.pump();
        EngineFaults.assertAlert(p.server, p.client, "record_overflow");
    }

    @Test
    void oversizedPlaintextRecord() throws Exception {
        EnginePair p = normalPair();
        int len = (1 << 14) + 1;
        ByteBuffer rec = ByteBuffer.allocate(5 + len);
        rec.put((byte) 22).put((byte) 3).put((byte) 1).put((byte) (len >>> 8)).put((byte) len);
        rec.position(0);
        SSLException e = org.junit.jupiter.api.Assertions.assertThrows(SSLException.class,
                () -> p.server.engine.unwrap(rec, ByteBuffer.allocate(1 << 15)));
        assertTrue(e.getMessage().contains("record_overflow"), e.getMessage());
        ByteBuffer out = ByteBuffer.allocate(100);
        p.server.engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        // A plaintext fatal alert: 21 03 03 00 02 02 22
        assertTrue(out.remaining() == 7 && out.get(0) == 21 && out.get(5) == 2 && out.get(6) == 22);
        EngineFaults.assertClosed(p.server.engine);
    }

    @Test
    void truncatedClientHello() throws Exception {
        EnginePair p = normalPair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            byte[] c = java.util.Arrays.copyOf(m, m.length - 1);
            int n = c.length - 4;
            c[1] = (byte) (n >>> 16);
            c[2] = (byte) (n >>> 8);
            c[3] = (byte) n;
            return c;
        }));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "decode_error");
    }

    @Test
    void outOfOrderMessage() throws Exception {
        EnginePair p = normalPair();
        // Drop EncryptedExtensions: the client then gets a Certificate where EE must come.
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                EngineFaults.replaceMessage(HandshakeType.ENCRYPTED_EXTENSIONS, m -> null));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unexpected_message");
    }

    /** A server filter that puts {@code extra} into EncryptedExtensions, instead of any of its type. */
    private static UnaryOperator<byte[]> encryptedExtensionsWith(Extension extra) {
        return EngineFaults.replaceMessage(HandshakeType.ENCRYPTED_EXTENSIONS, m -> {
            try {
                EncryptedExtensions ee = EncryptedExtensions.decode(new TlsReader(m, 4, m.length - 4));
                List<Extension> exts = new ArrayList<>(ee.extensions());
                exts.removeIf(e -> e.type() == extra.type());
                exts.add(extra);
                return new EncryptedExtensions(exts).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void unsolicitedAlpnAnswer() throws Exception {
        EnginePair p = normalPair(); // the client offers no ALPN
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                encryptedExtensionsWith(Extensions.alpn(List.of("h2"))));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unsupported_extension");
    }

    @Test
    void alpnAnswerNotOffered() throws Exception {
        EnginePair p = normalPair();
        SSLParameters cp = p.client.engine.getSSLParameters();
        cp.setApplicationProtocols(new String[] {"http/1.1"});
        p.client.engine.setSSLParameters(cp);
        // Our server has no ALPN list, so it answers nothing; the filter makes it pick "h2".
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                encryptedExtensionsWith(Extensions.alpn(List.of("h2"))));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "illegal_parameter");
    }

    @Test
    void serverNameAnswerWithData() throws Exception {
        EnginePair p = normalPair();
        // RFC 6066 3: the server's server_name answer is empty.
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(
                encryptedExtensionsWith(Extensions.serverName("localhost")));
        p.handshake();
        EngineFaults.assertAlert(p.client, p.server, "unsupported_extension");
    }

    @Test
    void clientHelloWithoutKeyShare() throws Exception {
        EnginePair p = normalPair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(EngineFaults.clientHelloWithout(ExtensionType.KEY_SHARE));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "missing_extension");
    }

    @Test
    void clientHelloWithoutSupportedVersions() throws Exception {
        EnginePair p = normalPair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(EngineFaults.clientHelloWithout(ExtensionType.SUPPORTED_VERSIONS));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "protocol_version");
    }

    @Test
    void clientHelloWithoutSignatureAlgorithms() throws Exception {
        EnginePair p = normalPair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(EngineFaults.clientHelloWithout(ExtensionType.SIGNATURE_ALGORITHMS));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "missing_extension");
    }

    @Test
    void secondChangeCipherSpec() throws Exception {
        EnginePair p = normalPair();
        p.clientToServer = b -> {
            // Duplicate the client's compatibility CCS record.
            ByteBuffer out = ByteBuffer.allocate(b.remaining() + 6);
            int pos = b.position();
            while (b.hasRemaining()) {
                if (b.remaining() >= 6 && b.get(b.position()) == 20) {
                    byte[] ccs = new byte[6];
                    b.get(ccs);
                    out.put(ccs).put(ccs);
                } else {
                    int len = 5 + (((b.get(b.position() + 3) & 0xff) << 8) | (b.get(b.position() + 4) & 0xff));
                    byte[] rec = new byte[len];
                    b.get(rec);
                    out.put(rec);
                }
            }
            out.flip();
            return out;
        };
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "unexpected_message");
    }

    @Test
    void closeInboundWithoutCloseNotifyThrows() throws Exception {
        EnginePair p = normalPair();
        p.handshake();
        org.junit.jupiter.api.Assertions.assertThrows(SSLException.class, () -> p.client.engine.closeInbound());
        p.pump();
        EngineFaults.assertClosed(p.client.engine);
        assertTrue(p.server.engine.isInboundDone());
    }

    private static UnaryOperator<ByteBuffer> injectAfterFirstRecord(byte[] record) {
        boolean[] done = {false};
        return b -> {
            if (done[0] || b.remaining() < 5) {
                return b;
            }
            done[0] = true;
            int first = 5 + (((b.get(b.position() + 3) & 0xff) << 8) | (b.get(b.position() + 4) & 0xff));
            ByteBuffer out = ByteBuffer.allocate(b.remaining() + record.length);
            byte[] all = new byte[b.remaining()];
            b.get(all);
            out.put(all, 0, first).put(record).put(all, first, all.length - first);
            out.flip();
            return out;
        };
    }

    private static byte[] fakeProtectedRecord() {
        byte[] r = new byte[5 + 40];
        r[0] = 23;
        r[1] = 3;
        r[2] = 3;
        r[4] = 40;
        for (int i = 5; i < r.length; i++) {
            r[i] = (byte) (i * 37);
        }
        return r;
    }

    @Test
    void undecryptableRecordAfterClientHelloIsBadRecordMac() throws Exception {
        EnginePair p = normalPair();
        p.clientToServer = injectAfterFirstRecord(fakeProtectedRecord());
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "bad_record_mac");
    }

    @Test
    void rejectedEarlyDataIsSkipped() throws Exception {
        EnginePair p = normalPair();
        // Offer 0-RTT (empty early_data extension) and send one "early" record the server
        // cannot open: it must be skipped (4.2.10), not answered with bad_record_mac. The added
        // extension is not in the client's transcript, so the two sides derive different
        // handshake keys and it is the client (not the server) that then fails to open a record.
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            try {
                ClientHello ch = ClientHello.decode(new TlsReader(m, 4, m.length - 4));
                List<Extension> exts = new ArrayList<>(ch.extensions());
                exts.add(new Extension(ExtensionType.EARLY_DATA, new byte[0]));
                return new ClientHello(ch.legacyVersion(), ch.random(), ch.legacySessionId(), ch.cipherSuites(),
                        ch.legacyCompressionMethods(), exts).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        p.clientToServer = injectAfterFirstRecord(fakeProtectedRecord());
        p.handshake();
        assertNotNull(p.client.error);
        assertTrue(p.client.error.getMessage().contains("bad_record_mac"), p.client.error.getMessage());
        EngineFaults.assertClosed(p.client.engine);
        // The server skipped both the fake early record and the client's alert (it cannot tell
        // them apart from 0-RTT data), so it raised nothing; the transport would now close.
        assertTrue(p.server.error == null, () -> "server: " + p.server.error);
        org.junit.jupiter.api.Assertions.assertThrows(SSLException.class, () -> p.server.engine.closeInbound());
    }

    @Test
    void unrecognizedServerName() throws Exception {
        EnginePair p = pair(TestPki.issue(CA, KeyType.EC_P256, "localhost", "other.example"), CA, "other.example");
        SSLParameters sp = p.server.engine.getSSLParameters();
        sp.setSNIMatchers(List.of(javax.net.ssl.SNIHostName.createSNIMatcher("localhost")));
        p.server.engine.setSSLParameters(sp);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "unrecognized_name");
    }

    @Test
    void jdkClientRejectsWrongHostFromOurServer() throws Exception {
        Credential leaf = TestPki.issue(CA, KeyType.EC_P256, "localhost");
        SSLEngine c = Contexts.jdk(new KeyManager[0], TestPki.trustManagers(CA)).createSSLEngine("wrong.example", 443);
        c.setUseClientMode(true);
        SSLParameters cp = c.getSSLParameters();
        cp.setEndpointIdentificationAlgorithm("HTTPS");
        c.setSSLParameters(cp);
        EnginePair p = new EnginePair(c, server(ours(TestPki.keyManagers(leaf), CA)));
        p.handshake();
        assertNotNull(p.client.error);
        assertNotNull(p.server.error);
        assertTrue(p.server.error.getMessage().contains("Received fatal alert: certificate_unknown"), p.server.error.getMessage());
        EngineFaults.assertClosed(p.client.engine);
        EngineFaults.assertClosed(p.server.engine);
    }

    @Test
    void noCommonCipherSuiteWithJdkClient() throws Exception {
        SSLEngine c = Contexts.jdk(new KeyManager[0], TestPki.trustManagers(CA)).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
        SSLEngine s = server(ours(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost")), CA));
        s.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "handshake_failure");
    }
}
