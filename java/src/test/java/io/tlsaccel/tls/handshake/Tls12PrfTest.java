package io.tlsaccel.tls.handshake;

import io.tlsaccel.testutil.Hex;
import io.tlsaccel.testutil.SunJsseCapture;
import io.tlsaccel.testutil.SunJsseCapture.Capture;
import io.tlsaccel.testutil.SunJsseCapture.Rec;
import static io.tlsaccel.testutil.SunJsseCapture.*;
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

/**
 * TLS 1.2 PRF known answers. Every expected value was computed independently with the
 * OpenSSL 3.0 command line, e.g. for the master secret:
 * <pre>
 * openssl kdf -keylen 48 -kdfopt digest:SHA256 -kdfopt hexsecret:$PMS \
 *     -kdfopt hexseed:$(printf 'master secret' | xxd -p)$CR$SR TLS1-PRF
 * </pre>
 * (OpenSSL's TLS1-PRF takes the label as the start of the seed.) The key block, extended
 * master secret and verify_data are also checked end to end against a SunJSSE handshake.
 */
class Tls12PrfTest {
    static final byte[] PMS = Hex.decode("030301080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c");
    static final byte[] CLIENT_RANDOM = Hex.decode("101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
    static final byte[] SERVER_RANDOM = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    static final byte[] SESSION_HASH_256 = Hex.decode("55545756515053525d5c5f5e59585b5a45444746414043424d4c4f4e49484b4a");
    static final byte[] SESSION_HASH_384 = Hex.decode("33323130373635343b3a39383f3e3d3c23222120272625242b2a29282f2e2d2c"
            + "13121110171615141b1a19181f1e1d1c");
    static final byte[] HANDSHAKE_HASH_256 = Hex.decode("7774717e7b7865626f6c695653505d5a4744414e4b4835323f3c392623202d2a");
    static final byte[] HANDSHAKE_HASH_384 = Hex.decode("66636c69727f78454e4b54515a27202d36333c39020f08151e1be4e1eaf7f0fd"
            + "c6c3ccc9d2dfd8a5aeabb4b1ba87808d");

    static final Tls12Prf SHA256 = new Tls12Prf(PrfHash.SHA256);
    static final Tls12Prf SHA384 = new Tls12Prf(PrfHash.SHA384);

    @Test
    void prfSha256LongOutput() {
        // secret, seed and label of the widely used TLS 1.2 PRF test vector; 100 bytes = 4 blocks.
        byte[] out = SHA256.prf(Hex.decode("9bbe436ba940f017b17652849a71db35"), "test label",
                Hex.decode("a0ba9f936cda311827a6f796ffd5198c"), 100);
        assertEquals("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9"
                + "af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff7"
                + "0187347b66", Hex.encode(out));
    }

    @Test
    void prfSha384LongOutput() {
        byte[] out = SHA384.prf(Hex.decode("b80b733d6ceefcdc71566ea48e5567df"), "test label",
                Hex.decode("cd665cf6a8447dd6ff8b27555edb7465"), 148);
        assertEquals("7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0"
                + "e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
                + "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e099070"
                + "3d73e56f", Hex.encode(out));
    }

    @Test
    void prfOutputIsAPrefixWhateverTheLength() {
        byte[] secret = "secret".getBytes(StandardCharsets.US_ASCII);
        byte[] seed = new byte[13];
        byte[] longer = SHA256.prf(secret, "l", seed, 97);
        for (int n : new int[] {0, 1, 31, 32, 33, 64, 96}) {
            byte[] shorter = SHA256.prf(secret, "l", seed, n);
            assertArrayEquals(Arrays.copyOf(longer, n), shorter, "length " + n);
        }
    }

    @Test
    void emptySecretIsHmacWithEmptyKey() {
        // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexsecret: -kdfopt hexseed:6162 TLS1-PRF
        // cannot take an empty secret, so compare with the one-byte zero key, which HMAC pads the same.
        assertArrayEquals(SHA256.prf(new byte[1], "a", new byte[] {'b'}, 40),
                SHA256.prf(new byte[0], "a", new byte[] {'b'}, 40));
    }

    @Test
    void masterSecretSha256() {
        Tls12Prf.Secret ms = SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM);
        assertEquals("2efded058b7935d178126043cf4d5624a14051ea61b7f0b3a88bd7795b37ae0f7bd4ea204eb2e81294de659c8b04b131",
                Hex.encode(ms.bytes()));
    }

    @Test
    void masterSecretSha384() {
        Tls12Prf.Secret ms = SHA384.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM);
        assertEquals("9c461214fa0b2a749c24748fc712449ab119b803f111f66c704722bbcfae3ec34b844de99486d7269e8a6c64ceec1a92",
                Hex.encode(ms.bytes()));
    }

    @Test
    void extendedMasterSecret() {
        assertEquals("6ef896e07ddb7b61bb7a427998f97ed934025a07c994706a1d825558e09a4492abb28567b17e4b53e813d43159961e57",
                Hex.encode(SHA256.extendedMasterSecret(PMS, SESSION_HASH_256).bytes()));
        assertEquals("72eb4c46c18641d58562907ba5f00a24066540e044bf7311ad78444b5689b70077fe3ee210641f9f25af4c75afe00609",
                Hex.encode(SHA384.extendedMasterSecret(PMS, SESSION_HASH_384).bytes()));
        assertThrows(IllegalArgumentException.class, () -> SHA384.extendedMasterSecret(PMS, SESSION_HASH_256));
    }

    @Test
    void keyBlockAes128GcmSha256() {
        // key_block (40 bytes) = PRF(ms, "key expansion", server_random + client_random)
        String kb = "cbf8f6a7d133bc8321785ef3ec10a3f2a8e7cefa5bea33606a0a7d5c28ba66ca6b3606d7a6657f19";
        Tls12Prf.KeyBlock keys = SHA256.keyBlock(SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM),
                CLIENT_RANDOM, SERVER_RANDOM, AeadAlgorithm.AES_128_GCM);
        assertEquals(kb.substring(0, 32), Hex.encode(keys.clientWriteKey()));
        assertEquals(kb.substring(32, 64), Hex.encode(keys.serverWriteKey()));
        assertEquals(kb.substring(64, 72), Hex.encode(keys.clientWriteIv()));
        assertEquals(kb.substring(72, 80), Hex.encode(keys.serverWriteIv()));
    }

    @Test
    void keyBlockAes256GcmSha384() {
        String kb = "750e77fe48dd95384232f1ab1c14e180d9357ff97ae8d72352f4ed19e51e93e0eba98a2434700aea93ce51c07cc3f4ba"
                + "4aaad202ca088e1c2459cfe08eb660a75bee44854b66cd3c";
        Tls12Prf.KeyBlock keys = SHA384.keyBlock(SHA384.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM),
                CLIENT_RANDOM, SERVER_RANDOM, AeadAlgorithm.AES_256_GCM);
        assertEquals(kb.substring(0, 64), Hex.encode(keys.clientWriteKey()));
        assertEquals(kb.substring(64, 128), Hex.encode(keys.serverWriteKey()));
        assertEquals(kb.substring(128, 136), Hex.encode(keys.clientWriteIv()));
        assertEquals(kb.substring(136, 144), Hex.encode(keys.serverWriteIv()));
    }

    @Test
    void keyBlockChaCha20Poly1305Sha256() {
        String kb = "cbf8f6a7d133bc8321785ef3ec10a3f2a8e7cefa5bea33606a0a7d5c28ba66ca6b3606d7a6657f19b4ac4c58e15fdffc"
                + "660add634931a2897ad6dd37a4f94cd1dbf55f4c5d7d95a648268625e665b93a97a9161b26b6f4a1";
        Tls12Prf.KeyBlock keys = SHA256.keyBlock(SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM),
                CLIENT_RANDOM, SERVER_RANDOM, AeadAlgorithm.CHACHA20_POLY1305);
        assertEquals(kb.substring(0, 64), Hex.encode(keys.clientWriteKey()));
        assertEquals(kb.substring(64, 128), Hex.encode(keys.serverWriteKey()));
        assertEquals(kb.substring(128, 152), Hex.encode(keys.clientWriteIv()));
        assertEquals(kb.substring(152, 176), Hex.encode(keys.serverWriteIv()));
    }

    @Test
    void finishedVerifyData() {
        Tls12Prf.Secret ms256 = SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM);
        assertEquals("3dbd8787579b5a85227fbf40", Hex.encode(SHA256.verifyData(ms256, true, HANDSHAKE_HASH_256)));
        assertEquals("ef749c2f4b91d04dcf438310", Hex.encode(SHA256.verifyData(ms256, false, HANDSHAKE_HASH_256)));
        Tls12Prf.Secret ms384 = SHA384.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM);
        assertEquals("8fa0bb45f0e42d824afbc0af", Hex.encode(SHA384.verifyData(ms384, true, HANDSHAKE_HASH_384)));
        assertEquals("2dea2666035b1528d03ccdfd", Hex.encode(SHA384.verifyData(ms384, false, HANDSHAKE_HASH_384)));
        assertTrue(Tls12Prf.verifyDataMatches(Hex.decode("2dea2666035b1528d03ccdfd"),
                SHA384.verifyData(ms384, false, HANDSHAKE_HASH_384)));
        assertFalse(Tls12Prf.verifyDataMatches(Hex.decode("2dea2666035b1528d03ccdfe"),
                SHA384.verifyData(ms384, false, HANDSHAKE_HASH_384)));
    }

    @Test
    void secretsAreWipedAndNeverPrinted() {
        Tls12Prf.Secret ms = SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM);
        byte[] inside = ms.bytes();
        String hex = Hex.encode(inside);
        assertFalse(ms.toString().contains(hex.substring(0, 8)));
        ms.destroy();
        assertTrue(ms.isDestroyed());
        assertArrayEquals(new byte[48], inside);
        assertThrows(IllegalStateException.class, ms::bytes);

        Tls12Prf.KeyBlock keys = SHA256.keyBlock(SHA256.masterSecret(PMS, CLIENT_RANDOM, SERVER_RANDOM),
                CLIENT_RANDOM, SERVER_RANDOM, AeadAlgorithm.AES_128_GCM);
        assertFalse(keys.toString().contains(Hex.encode(keys.clientWriteKey()).substring(0, 8)));
        keys.destroy();
        assertThrows(IllegalStateException.class, keys::clientWriteKey);
    }

    @Test
    void randomsMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> SHA256.masterSecret(PMS, new byte[31], SERVER_RANDOM));
        assertThrows(IllegalArgumentException.class, () -> SHA256.masterSecret(PMS, CLIENT_RANDOM, new byte[33]));
    }

    // ---- cross-check against SunJSSE ----------------------------------------------------------
    //
    // A real TLS 1.2 handshake between two SunJSSE engines with RSA key transport, captured on
    // the wire. Holding the server's private key, we redo the server's part with our code:
    // RsaPremasterSecret.decrypt on ClientKeyExchange, the (extended) master secret, the key
    // block, then Tls12RecordProtection opens both Finished messages and the application data,
    // and each verify_data must equal our PRF's. Our sealer must also reproduce SunJSSE's
    // records byte for byte (both send the sequence number as GCM nonce_explicit).

    @Test
    void keyBlockAndFinishedMatchSunJsseAes128GcmSha256() throws Exception {
        crossCheckSunJsse("TLS_RSA_WITH_AES_128_GCM_SHA256", new Tls12Prf(PrfHash.SHA256),
                AeadAlgorithm.AES_128_GCM);
    }

    @Test
    void keyBlockAndFinishedMatchSunJsseAes256GcmSha384() throws Exception {
        crossCheckSunJsse("TLS_RSA_WITH_AES_256_GCM_SHA384", new Tls12Prf(PrfHash.SHA384),
                AeadAlgorithm.AES_256_GCM);
    }


    static void crossCheckSunJsse(String suite, Tls12Prf prf, AeadAlgorithm aead) throws Exception {
        byte[] clientHello = "hello from the client".getBytes(StandardCharsets.US_ASCII);
        byte[] serverHello = "hello from the server, a bit longer".getBytes(StandardCharsets.US_ASCII);
        Capture cap = captureSunJsse(suite, clientHello, serverHello);
        KeyPair serverKeys = cap.serverKeys();
        X509Certificate cert = cap.cert();
        List<Rec> fromClient = cap.fromClient();
        List<Rec> fromServer = cap.fromServer();
        int clientCcs = indexOfType(fromClient, 20);
        int serverCcs = indexOfType(fromServer, 20);
        List<Msg> clientPlain = messages(fromClient.subList(0, clientCcs));
        List<Msg> serverPlain = messages(fromServer.subList(0, serverCcs));

        // Client: ClientHello, ClientKeyExchange. Server: ServerHello, Certificate, ServerHelloDone
        // (then perhaps NewSessionTicket, which comes after the client's Finished).
        assertEquals(1, clientPlain.get(0).type());
        assertEquals(HandshakeType.CLIENT_KEY_EXCHANGE, clientPlain.get(1).type());
        assertEquals(2, clientPlain.size());
        assertEquals(2, serverPlain.get(0).type());
        assertEquals(11, serverPlain.get(1).type());
        assertEquals(HandshakeType.SERVER_HELLO_DONE, serverPlain.get(2).type());
        List<Msg> serverAfterDone = serverPlain.subList(3, serverPlain.size());

        byte[] chBody = clientPlain.get(0).body();
        int clientVersion = ((chBody[0] & 0xff) << 8) | (chBody[1] & 0xff);
        assertEquals(0x0303, clientVersion);
        byte[] clientRandom = Arrays.copyOfRange(chBody, 2, 34);
        ServerHello sh = ServerHello.decode(new TlsReader(serverPlain.get(0).body()));
        byte[] serverRandom = sh.random();

        // Our decoders on SunJSSE's messages.
        Tls12Certificate certMsg = Tls12Certificate.decode(new TlsReader(serverPlain.get(1).body()));
        assertArrayEquals(cert.getEncoded(), certMsg.certificates().get(0));
        ServerHelloDone.decode(new TlsReader(serverPlain.get(2).body()));
        RsaClientKeyExchange cke = RsaClientKeyExchange.decode(
                new TlsReader(clientPlain.get(1).body()));

        // Our server side of RSA key transport recovers SunJSSE's pre-master secret (a wrong
        // result would be random and differ between the two calls).
        SecureRandom random = new SecureRandom();
        byte[] pms = RsaPremasterSecret.decrypt(serverKeys.getPrivate(), cke.encryptedPreMasterSecret(),
                clientVersion, random).bytes();
        assertArrayEquals(pms, RsaPremasterSecret.decrypt(serverKeys.getPrivate(), cke.encryptedPreMasterSecret(),
                clientVersion, random).bytes());

        MessageDigest transcript = MessageDigest.getInstance(prf.hash().digestName());
        for (Msg m : List.of(clientPlain.get(0), serverPlain.get(0), serverPlain.get(1), serverPlain.get(2),
                clientPlain.get(1))) {
            transcript.update(m.whole());
        }
        byte[] sessionHash = ((MessageDigest) transcript.clone()).digest();
        byte[] ems = sh.extension(ExtensionType.EXTENDED_MASTER_SECRET);
        Tls12Prf.Secret master;
        if (ems != null) {
            ExtendedMasterSecret.decode(ems);
            master = prf.extendedMasterSecret(pms, sessionHash);
        } else {
            master = prf.masterSecret(pms, clientRandom, serverRandom);
        }
        Tls12Prf.KeyBlock keys = prf.keyBlock(master, clientRandom, serverRandom, aead);

        // Client's Finished (sequence number 0 after ChangeCipherSpec), then its data.
        try (Tls12RecordProtection clientRead = Tls12RecordProtection.create(aead, keys.clientWriteKey(),
                     keys.clientWriteIv());
             Tls12RecordProtection clientWrite = Tls12RecordProtection.create(aead, keys.clientWriteKey(),
                     keys.clientWriteIv())) {
            Rec finRec = fromClient.get(clientCcs + 1);
            byte[] fin = open(clientRead, finRec);
            assertEquals("1400000c", Hex.encode(Arrays.copyOf(fin, 4)));
            assertArrayEquals(prf.verifyData(master, true, sessionHash), Arrays.copyOfRange(fin, 4, 16),
                    "client verify_data");
            assertArrayEquals(finRec.fragment(), seal(clientWrite, 22, fin), "our sealing of the Finished record");
            transcript.update(fin);
            Rec dataRec = fromClient.get(clientCcs + 2);
            assertArrayEquals(clientHello, open(clientRead, dataRec));
            assertArrayEquals(dataRec.fragment(), seal(clientWrite, 23, clientHello));
        }
        for (Msg m : serverAfterDone) {
            transcript.update(m.whole());
        }
        byte[] beforeServerFinished = transcript.digest();
        try (Tls12RecordProtection serverRead = Tls12RecordProtection.create(aead, keys.serverWriteKey(),
                     keys.serverWriteIv())) {
            byte[] fin = open(serverRead, fromServer.get(serverCcs + 1));
            assertEquals("1400000c", Hex.encode(Arrays.copyOf(fin, 4)));
            assertArrayEquals(prf.verifyData(master, false, beforeServerFinished), Arrays.copyOfRange(fin, 4, 16),
                    "server verify_data");
            assertArrayEquals(serverHello, open(serverRead, fromServer.get(serverCcs + 2)));
        }
    }

    static byte[] open(Tls12RecordProtection p, Rec r) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(r.fragment().length);
        int n = p.open(r.type(), ByteBuffer.wrap(r.fragment()), r.fragment().length, out);
        return Arrays.copyOf(out.array(), n);
    }

    /** Our record's fragment (header removed). */
    static byte[] seal(Tls12RecordProtection p, int type, byte[] plain) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(plain.length + p.overhead());
        int n = p.seal(type, ByteBuffer.wrap(plain), plain.length, out);
        return Arrays.copyOfRange(out.array(), 5, n);
    }


}
