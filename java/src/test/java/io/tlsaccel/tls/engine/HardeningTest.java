package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.KeyShareEntry;
import io.tlsaccel.tls.message.TlsReader;
import java.net.Socket;
import java.security.Principal;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Findings of the conformance run and review (issue 11) that live in the handshake machines. */
class HardeningTest {
    static final Credential CA = TestPki.newCa("Hardening CA");

    static SSLContext ours(KeyManager[] km) {
        return Contexts.ours(km, TestPki.trustManagers(CA));
    }

    private static final Provider TEST_PROVIDER = new Provider("HardeningTest", "0.1", "test only") {
    };

    /** Our SSLContext with TLS 1.3 and 1.2 enabled. */
    static SSLContext bothVersions(KeyManager[] km) {
        try {
            SSLContext c = new SSLContext(new TlsContextSpi.Tls(), TEST_PROVIDER, "TLS") {
            };
            c.init(km, TestPki.trustManagers(CA), new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static EnginePair pair(String... protocols) {
        SSLEngine c = ours(new KeyManager[0]).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        SSLEngine s = ours(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        if (protocols.length > 0) {
            c.setEnabledProtocols(protocols);
            s.setEnabledProtocols(protocols);
        }
        return new EnginePair(c, s);
    }
    static void assertCompleted(EnginePair p, String protocol) {
        assertNull(p.client.error, () -> "client: " + p.client.error);
        assertNull(p.server.error, () -> "server: " + p.server.error);
        assertEquals(protocol, p.client.engine.getSession().getProtocol());
        assertEquals(protocol, p.server.engine.getSession().getProtocol());
    }

    /** A client filter that rewrites ClientHello.legacy_version. */
    static UnaryOperator<byte[]> legacyVersion(int version) {
        return EngineFaults.replaceMessage(HandshakeType.CLIENT_HELLO, m -> {
            try {
                ClientHello ch = ClientHello.decode(new TlsReader(m, 4, m.length - 4));
                return new ClientHello(version, ch.random(), ch.legacySessionId(), ch.cipherSuites(),
                        ch.legacyCompressionMethods(), ch.extensions()).encode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** RFC 8446 D.5: a ClientHello.legacy_version of SSL 3.0 or below (or garbage below it) is protocol_version. */
    @ParameterizedTest
    @ValueSource(ints = {0x0300, 0x0200, 0x0002, 0x0000})
    void clientHelloLegacyVersionSsl3OrBelowIsRefused(int version) throws Exception {
        EnginePair p = pair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(legacyVersion(version));
        p.handshake();
        EngineFaults.assertAlert(p.server, p.client, "protocol_version");
    }

    /**
     * The neighbours: TLS 1.0 to 1.2 as legacy_version still reach TLS 1.3 through
     * supported_versions: the server answers with a ServerHello (the client then fails its
     * Finished, since the rewritten ClientHello is not the one in its transcript).
     */
    @ParameterizedTest
    @ValueSource(ints = {0x0301, 0x0302, 0x0303})
    void clientHelloLegacyVersionAboveSsl3IsAnswered(int version) throws Exception {
        EnginePair p = pair();
        ((TlsEngine) p.client.engine).setOutgoingHandshakeFilterForTesting(legacyVersion(version));
        List<Integer> sent = new ArrayList<>();
        ((TlsEngine) p.server.engine).setOutgoingHandshakeFilterForTesting(m -> {
            sent.add(m[0] & 0xff);
            return m;
        });
        p.handshake();
        assertFalse(sent.isEmpty(), "server sent nothing");
        assertEquals(HandshakeType.SERVER_HELLO, sent.get(0));
        assertFalse(p.server.error != null && p.server.error.getMessage().contains("protocol_version"), () -> "" + p.server.error);
    }

    /**
     * A key manager with one identity per host name, choosing by the SNI the handshake session
     * reports at the time it is asked (as SunJSSE's SNI-aware key managers do), "a.example" by default.
     */
    static final class SniKeyManager extends X509ExtendedKeyManager {
        final Map<String, Credential> byHost = new LinkedHashMap<>();

        SniKeyManager() {
            byHost.put("a.example", TestPki.issue(CA, KeyType.EC_P256, "a.example"));
            byHost.put("b.example", TestPki.issue(CA, KeyType.EC_P256, "b.example"));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (!"EC".equals(keyType)) {
                return null;
            }
            SSLSession hs = engine.getHandshakeSession();
            if (hs instanceof ExtendedSSLSession ext) {
                for (SNIServerName n : ext.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h && byHost.containsKey(h.getAsciiName())) {
                        return h.getAsciiName();
                    }
                }
            }
            return "a.example";
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Credential c = byHost.get(alias);
            return c == null ? null : c.chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Credential c = byHost.get(alias);
            return c == null ? null : c.keyPair().getPrivate();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return byHost.keySet().toArray(new String[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** The certificate the client received when it asked for {@code host} (null: no SNI) over {@code protocol}. */
    static String certificateServedFor(String host, String protocol) throws Exception {
        SSLEngine c = host == null ? bothVersions(new KeyManager[0]).createSSLEngine()
                : bothVersions(new KeyManager[0]).createSSLEngine(host, 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = bothVersions(new KeyManager[] {new SniKeyManager()}).createSSLEngine();
        s.setUseClientMode(false);
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertCompleted(p, protocol);
        X509Certificate leaf = (X509Certificate) c.getSession().getPeerCertificates()[0];
        return leaf.getSubjectAlternativeNames().iterator().next().get(1).toString();
    }

    /** The key manager sees the client's server_name before it picks the certificate, in both versions. */
    @ParameterizedTest
    @CsvSource({"TLSv1.2, b.example, b.example", "TLSv1.2, a.example, a.example", "TLSv1.2, c.example, a.example",
            "TLSv1.3, b.example, b.example", "TLSv1.3, a.example, a.example", "TLSv1.3, c.example, a.example"})
    void certificateIsPickedForTheRequestedServerName(String protocol, String host, String expected) throws Exception {
        assertEquals(expected, certificateServedFor(host, protocol));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void withoutServerNameTheDefaultCertificateIsServed(String protocol) throws Exception {
        assertEquals("a.example", certificateServedFor(null, protocol));
    }

    /**
     * A ClientHello of about 63 KB: {@code groups} distinct unknown groups in supported_groups and
     * one key share for each, in the same order (so every per-share check runs to the end).
     */
    static byte[] bigClientHello(int groups) {
        int[] ids = new int[groups];
        List<KeyShareEntry> shares = new ArrayList<>(groups);
        for (int i = 0; i < groups; i++) {
            ids[i] = 0x4000 + i;
            shares.add(new KeyShareEntry(ids[i], new byte[] {1}));
        }
        List<Extension> exts = List.of(Extensions.supportedVersionsClient(new int[] {0x0304}),
                Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, new int[] {0x0403}),
                Extensions.u16List(ExtensionType.SUPPORTED_GROUPS, ids), Extensions.keyShareClient(shares));
        return new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0x1301}, new byte[] {0}, exts).encode();
    }

    /** {@code message} as plaintext handshake records of at most 2^14 bytes (RFC 8446 5.1). */
    static ByteBuffer records(byte[] message) {
        ByteBuffer out = ByteBuffer.allocate(message.length + 5 * (message.length / 16384 + 1));
        for (int off = 0; off < message.length; off += 16384) {
            int n = Math.min(16384, message.length - off);
            out.put((byte) 22).putShort((short) 0x0301).putShort((short) n).put(message, off, n);
        }
        return out.flip();
    }

    /** Nanoseconds a fresh server engine spends on {@code records} until it has an answer (here: an alert). */
    static long serverNanos(ByteBuffer records) throws Exception {
        SSLEngine s = ours(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        s.beginHandshake();
        ByteBuffer in = records.duplicate();
        ByteBuffer app = ByteBuffer.allocate(s.getSession().getApplicationBufferSize());
        long t0 = System.nanoTime();
        try {
            while (in.hasRemaining()) {
                SSLEngineResult r = s.unwrap(in, app);
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                    break;
                }
            }
        } catch (SSLException expected) {
            // no group in common: handshake_failure, after every check ran
        }
        return System.nanoTime() - t0;
    }

    /**
     * Issue 11: the key_share checks of a ClientHello are linear. The near-64 KB message with
     * 9,000 shares once cost tens of milliseconds (a pairwise duplicate check, an index lookup per
     * share); the best of several runs must now stay within a few milliseconds.
     */
    @Test
    void largeKeyShareListCostsLinearTime() throws Exception {
        byte[] ch = bigClientHello(9000);
        assertTrue(ch.length > 60_000 && ch.length < 65_536, "size " + ch.length);
        ByteBuffer recs = records(ch);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            best = Math.min(best, serverNanos(recs));
        }
        assertTrue(best < 15_000_000L, "best of 15 runs: " + best / 1000 + " us");
    }

    /** The neighbours: a duplicate share and shares out of supported_groups order are still refused. */
    @ParameterizedTest
    @ValueSource(strings = {"duplicate", "out-of-order"})
    void keyShareOrderAndDuplicatesStillChecked(String fault) throws Exception {
        int[] ids = {0x4001, 0x4002, 0x4003};
        List<KeyShareEntry> shares = fault.equals("duplicate")
                ? List.of(new KeyShareEntry(0x4001, new byte[] {1}), new KeyShareEntry(0x4001, new byte[] {2}))
                : List.of(new KeyShareEntry(0x4003, new byte[] {1}), new KeyShareEntry(0x4001, new byte[] {2}));
        List<Extension> exts = List.of(Extensions.supportedVersionsClient(new int[] {0x0304}),
                Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, new int[] {0x0403}),
                Extensions.u16List(ExtensionType.SUPPORTED_GROUPS, ids), Extensions.keyShareClient(shares));
        byte[] ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0x1301}, new byte[] {0}, exts).encode();
        SSLEngine s = ours(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        s.beginHandshake();
        SSLException e = assertThrows(SSLException.class,
                () -> s.unwrap(records(ch), ByteBuffer.allocate(s.getSession().getApplicationBufferSize())));
        assertTrue(e.getMessage().contains("illegal_parameter"), e.getMessage());
    }

    /** A TLS 1.2 pair whose server sends {@code count} HelloRequests in front of its Certificate. */
    static EnginePair helloRequestsDuringHandshake(int count) throws Exception {
        SSLEngine c = bothVersions(new KeyManager[0]).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        SSLEngine s = bothVersions(TestPki.keyManagers(TestPki.issue(CA, KeyType.EC_P256, "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        ((TlsEngine) s).setOutgoingHandshakeFilterForTesting(EngineFaults.replaceMessage(HandshakeType.CERTIFICATE, m -> {
            // HelloRequest (RFC 5246 7.4.1.1): type 0, empty body; never part of the transcript.
            byte[] out = new byte[4 * count + m.length];
            System.arraycopy(m, 0, out, 4 * count, m.length);
            return out;
        }));
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        return p;
    }

    /** RFC 5246 7.4.1.1: a client ignores a HelloRequest while it negotiates, but not without bound. */
    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void aFewHelloRequestsDuringTheHandshakeAreIgnored(int count) throws Exception {
        assertCompleted(helloRequestsDuringHandshake(count), "TLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 1000})
    void aFloodOfHelloRequestsIsUnexpectedMessage(int count) throws Exception {
        EnginePair p = helloRequestsDuringHandshake(count);
        EngineFaults.assertAlert(p.client, p.server, "unexpected_message");
    }
}
