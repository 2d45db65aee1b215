package io.tlsaccel.testutil;

import io.tlsaccel.testutil.Hex;
import io.tlsaccel.tls.record.PrfHash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.handshake.RsaPremasterSecret;
import io.tlsaccel.tls.handshake.Tls12Prf;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.ServerHelloDone;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ExtendedMasterSecret;
import io.tlsaccel.tls.message.RenegotiationInfo;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls12RecordProtection;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Transcripts of handshakes between two SunJSSE engines, record by record, for cross-checks. */
public final class SunJsseCapture {
    private SunJsseCapture() {
    }

    /** One record as captured: content type and fragment. */
    public record Rec(int type, byte[] fragment) {
    }

    /** One handshake message: type and the whole message (header included). */
    public record Msg(int type, byte[] whole) {
        public byte[] body() {
            return Arrays.copyOfRange(whole, 4, whole.length);
        }
    }

    /** What two SunJSSE engines sent each other: records per direction, and the server's credential. */
    public record Capture(List<Rec> fromClient, List<Rec> fromServer, KeyPair serverKeys, X509Certificate cert) {
    }

    /**
     * Runs a TLS 1.2 handshake between SunJSSE engines restricted to {@code suite} with an RSA
     * server certificate, then one application_data record each way ({@code clientData},
     * {@code serverData}); skipped where this JDK does not offer the suite.
     */
    public static Capture captureSunJsse(String suite, byte[] clientData, byte[] serverData) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair serverKeys = g.generateKeyPair();
        X509Certificate cert = selfSigned(serverKeys);
        char[] pw = "pw".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKeys.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);

        SSLContext serverCtx = SSLContext.getInstance("TLS", "SunJSSE");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        SSLContext clientCtx = SSLContext.getInstance("TLS", "SunJSSE");
        clientCtx.init(null, new TrustManager[] {new TrustEverything()}, null);
        SSLEngine server = serverCtx.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = clientCtx.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        for (SSLEngine e : new SSLEngine[] {server, client}) {
            Assumptions.assumeTrue(Arrays.asList(e.getSupportedCipherSuites()).contains(suite),
                    suite + " not supported by this JDK");
            e.setEnabledProtocols(new String[] {"TLSv1.2"});
            e.setEnabledCipherSuites(new String[] {suite});
        }

        ByteArrayOutputStream c2sLog = new ByteArrayOutputStream();
        ByteArrayOutputStream s2cLog = new ByteArrayOutputStream();
        ByteBuffer c2s = ByteBuffer.allocate(1 << 17);
        ByteBuffer s2c = ByteBuffer.allocate(1 << 17);
        try {
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 200 && !(idle(client) && idle(server)); i++) {
                drive(client, s2c, c2s, c2sLog);
                drive(server, c2s, s2c, s2cLog);
            }
        } catch (SSLException e) {
            // A JDK whose java.security disables the suite (e.g. TLS_RSA_*) cannot take part.
            Assumptions.assumeTrue(false, "SunJSSE refused " + suite + ": " + e.getMessage());
        }
        assertTrue(idle(client) && idle(server), "handshake did not finish");
        sendApplicationData(client, clientData, c2sLog);
        sendApplicationData(server, serverData, s2cLog);
        return new Capture(records(c2sLog.toByteArray()), records(s2cLog.toByteArray()), serverKeys, cert);
    }

    public static boolean idle(SSLEngine e) {
        SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || hs == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One step of an engine: wrap into {@code out} (logged) or unwrap from {@code in}. */
    public static void drive(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteArrayOutputStream log) throws SSLException {
        ByteBuffer app = ByteBuffer.allocate(1 << 15);
        for (int guard = 0; guard < 50; guard++) {
            switch (e.getHandshakeStatus()) {
                case NEED_WRAP: {
                    int start = out.position();
                    e.wrap(ByteBuffer.allocate(0), out);
                    log.write(out.array(), start, out.position() - start);
                    break;
                }
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN: {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
                            && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                        return;
                    }
                    break;
                }
                case NEED_TASK: {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                    break;
                }
                default:
                    return;
            }
        }
    }

    public static void sendApplicationData(SSLEngine e, byte[] data, ByteArrayOutputStream log) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(1 << 15);
        SSLEngineResult r = e.wrap(ByteBuffer.wrap(data), out);
        assertEquals(SSLEngineResult.Status.OK, r.getStatus());
        log.write(out.array(), 0, out.position());
    }

    public static List<Rec> records(byte[] wire) {
        List<Rec> out = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int type = wire[at] & 0xff;
            assertEquals(3, wire[at + 1]);
            int len = ((wire[at + 3] & 0xff) << 8) | (wire[at + 4] & 0xff);
            out.add(new Rec(type, Arrays.copyOfRange(wire, at + 5, at + 5 + len)));
            at += 5 + len;
        }
        return out;
    }

    public static int indexOfType(List<Rec> recs, int type) {
        for (int i = 0; i < recs.size(); i++) {
            if (recs.get(i).type() == type) {
                return i;
            }
        }
        throw new AssertionError("no record of type " + type);
    }

    /** The handshake messages in a run of plaintext handshake records. */
    public static List<Msg> messages(List<Rec> recs) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Rec r : recs) {
            assertEquals(22, r.type());
            all.writeBytes(r.fragment());
        }
        byte[] b = all.toByteArray();
        List<Msg> out = new ArrayList<>();
        int at = 0;
        while (at < b.length) {
            int len = ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            out.add(new Msg(b[at] & 0xff, Arrays.copyOfRange(b, at, at + 4 + len)));
            at += 4 + len;
        }
        return out;
    }

    public static X509Certificate selfSigned(KeyPair kp) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name, kp.getPublic());
        b.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    }

    /** Test only: the client accepts the self-signed server certificate. */
    public static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
