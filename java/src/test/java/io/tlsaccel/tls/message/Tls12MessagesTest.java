package io.tlsaccel.tls.message;

import io.tlsaccel.testutil.Hex;
import io.tlsaccel.testutil.SunJsseCapture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.handshake.NamedGroup;
import io.tlsaccel.tls.handshake.SignatureScheme;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.message.HandshakeType;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Tls12Certificate;
import io.tlsaccel.tls.message.Tls12CertificateRequest;
import io.tlsaccel.tls.message.EcdheServerKeyExchange;
import io.tlsaccel.tls.message.ServerHelloDone;
import io.tlsaccel.tls.message.RsaClientKeyExchange;
import io.tlsaccel.tls.message.ExtendedMasterSecret;
import io.tlsaccel.tls.message.RenegotiationInfo;
import io.tlsaccel.tls.message.EcdheClientKeyExchange;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TLS 1.2 messages: exact encodings, round trips, and malformed input as decode_error. */
class Tls12MessagesTest {

    /** A reader over the body of an encoded handshake message, after checking its header. */
    static TlsReader body(byte[] message, int type) throws TlsAlertException {
        TlsReader r = new TlsReader(message);
        assertEquals(type, r.u8());
        TlsReader body = r.u24Prefixed();
        r.expectEnd();
        return body;
    }

    static void assertDecodeError(Executable e) {
        TlsAlertException x = assertThrows(TlsAlertException.class, e::run);
        assertEquals(AlertDescription.DECODE_ERROR, x.alert(), x.getMessage());
    }

    interface Executable {
        void run() throws Exception;
    }

    static byte[] bytes(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    // ---- ServerKeyExchange ---------------------------------------------------------------------

    @Test
    void serverKeyExchangeExactEncoding() throws Exception {
        EcdheServerKeyExchange ske = new EcdheServerKeyExchange(0x001d, bytes(32, 0xaa), 0x0403, bytes(3, 0x55));
        // 0c | len 00002b | 03 001d | 20 aa*32 | 0403 | 0003 555555
        String expected = "0c00002b" + "03001d" + "20" + "aa".repeat(32) + "0403" + "0003555555";
        assertEquals(expected, Hex.encode(ske.encode()));
        assertEquals("03001d20" + "aa".repeat(32), Hex.encode(ske.params()));
    }

    @Test
    void serverKeyExchangeRoundTrip() throws Exception {
        KeyPair share = NamedGroup.SECP256R1.generate(new SecureRandom());
        byte[] point = NamedGroup.SECP256R1.encodePublic(share.getPublic());
        EcdheServerKeyExchange ske = new EcdheServerKeyExchange(NamedGroup.SECP256R1.id(), point,
                SignatureScheme.RSA_PKCS1_SHA256.id(), bytes(256, 7));
        EcdheServerKeyExchange back = EcdheServerKeyExchange.decode(body(ske.encode(), HandshakeType.SERVER_KEY_EXCHANGE));
        assertEquals(ske.namedGroup(), back.namedGroup());
        assertArrayEquals(point, back.publicPoint());
        assertEquals(ske.signatureScheme(), back.signatureScheme());
        assertArrayEquals(ske.signature(), back.signature());
        // The decoded point is one the existing group code accepts.
        NamedGroup.SECP256R1.decodePublic(back.publicPoint());
    }

    @Test
    void serverKeyExchangeSignatureCoversRandomsAndParams() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] clientRandom = new byte[32];
        byte[] serverRandom = new byte[32];
        random.nextBytes(clientRandom);
        random.nextBytes(serverRandom);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signer = g.generateKeyPair();
        KeyPair share = NamedGroup.X25519.generate(random);
        byte[] point = NamedGroup.X25519.encodePublic(share.getPublic());

        byte[] params = EcdheServerKeyExchange.encodeParams(NamedGroup.X25519.id(), point);
        byte[] signed = EcdheServerKeyExchange.signedParams(clientRandom, serverRandom, params);
        assertEquals(64 + 4 + 32, signed.length);
        assertArrayEquals(clientRandom, Arrays.copyOfRange(signed, 0, 32));
        assertArrayEquals(serverRandom, Arrays.copyOfRange(signed, 32, 64));
        assertArrayEquals(params, Arrays.copyOfRange(signed, 64, signed.length));

        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(signer.getPrivate());
        s.update(signed);
        EcdheServerKeyExchange ske = new EcdheServerKeyExchange(NamedGroup.X25519.id(), point,
                SignatureScheme.ECDSA_SECP256R1_SHA256.id(), s.sign());
        EcdheServerKeyExchange back = EcdheServerKeyExchange.decode(body(ske.encode(), HandshakeType.SERVER_KEY_EXCHANGE));
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(signer.getPublic());
        v.update(back.signedParams(clientRandom, serverRandom));
        assertTrue(v.verify(back.signature()));
        assertThrows(IllegalArgumentException.class, () -> back.signedParams(new byte[31], serverRandom));
    }

    @Test
    void serverKeyExchangeMalformed() {
        String good = "03001d" + "04" + "01020304" + "0403" + "0002" + "abcd";
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode(good.substring(0, good.length() - 2)))));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode(good + "00"))));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode("03001d" + "00" + "0403" + "0000"))));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode("03001d" + "05" + "01020304"))));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode("03001d" + "04" + "01020304" + "04"))));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(new byte[0])));
        assertDecodeError(() -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode("0300"))));
        TlsAlertException explicit = assertThrows(TlsAlertException.class,
                () -> EcdheServerKeyExchange.decode(new TlsReader(Hex.decode("01" + good.substring(2)))));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, explicit.alert());
    }

    // ---- ClientKeyExchange ---------------------------------------------------------------------

    @Test
    void ecdheClientKeyExchange() throws Exception {
        EcdheClientKeyExchange cke = new EcdheClientKeyExchange(bytes(65, 4));
        byte[] enc = cke.encode();
        assertEquals("10000042" + "41" + "04".repeat(65), Hex.encode(enc));
        assertArrayEquals(bytes(65, 4), EcdheClientKeyExchange.decode(body(enc, HandshakeType.CLIENT_KEY_EXCHANGE)).publicPoint());
        assertDecodeError(() -> EcdheClientKeyExchange.decode(new TlsReader(Hex.decode("00"))));
        assertDecodeError(() -> EcdheClientKeyExchange.decode(new TlsReader(Hex.decode("020102ff"))));
        assertDecodeError(() -> EcdheClientKeyExchange.decode(new TlsReader(Hex.decode("030102"))));
        assertDecodeError(() -> EcdheClientKeyExchange.decode(new TlsReader(new byte[0])));
    }

    @Test
    void rsaClientKeyExchange() throws Exception {
        RsaClientKeyExchange cke = new RsaClientKeyExchange(bytes(256, 0x5a));
        byte[] enc = cke.encode();
        assertEquals("10000102" + "0100" + "5a".repeat(256), Hex.encode(enc));
        assertArrayEquals(bytes(256, 0x5a), RsaClientKeyExchange.decode(body(enc, HandshakeType.CLIENT_KEY_EXCHANGE))
                .encryptedPreMasterSecret());
        // SSL 3.0 style (no length prefix) or a wrong length: the framing is public, so decode_error.
        assertDecodeError(() -> RsaClientKeyExchange.decode(new TlsReader(bytes(256, 0x5a))));
        assertDecodeError(() -> RsaClientKeyExchange.decode(new TlsReader(Hex.decode("0003aabb"))));
        assertDecodeError(() -> RsaClientKeyExchange.decode(new TlsReader(Hex.decode("0001aabb"))));
        assertDecodeError(() -> RsaClientKeyExchange.decode(new TlsReader(Hex.decode("00"))));
    }

    // ---- Tls12CertificateRequest --------------------------------------------------------------------

    @Test
    void certificateRequestExactEncodingAndRoundTrip() throws Exception {
        byte[] dn1 = Hex.decode("3010310e300c06035504030c05746573743a");
        byte[] dn2 = Hex.decode("300d310b3009060355040613025553");
        Tls12CertificateRequest cr = new Tls12CertificateRequest(new int[] {Tls12CertificateRequest.RSA_SIGN, Tls12CertificateRequest.ECDSA_SIGN},
                new int[] {0x0403, 0x0804, 0x0401}, List.of(dn1, dn2));
        byte[] enc = cr.encode();
        String bodyHex = "020140" + "0006" + "040308040401" + "0025" + "0012" + Hex.encode(dn1) + "000f" + Hex.encode(dn2);
        assertEquals("0d" + String.format("%06x", bodyHex.length() / 2) + bodyHex, Hex.encode(enc));
        Tls12CertificateRequest back = Tls12CertificateRequest.decode(body(enc, 13));
        assertArrayEquals(cr.certificateTypes(), back.certificateTypes());
        assertArrayEquals(cr.signatureSchemes(), back.signatureSchemes());
        assertEquals(2, back.certificateAuthorities().size());
        assertArrayEquals(dn1, back.certificateAuthorities().get(0));
        assertArrayEquals(dn2, back.certificateAuthorities().get(1));

        Tls12CertificateRequest noCas = new Tls12CertificateRequest(new int[] {64}, new int[] {0x0403}, List.of());
        Tls12CertificateRequest back2 = Tls12CertificateRequest.decode(body(noCas.encode(), 13));
        assertTrue(back2.certificateAuthorities().isEmpty());
    }

    @Test
    void certificateRequestMalformed() {
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("00" + "00020403" + "0000"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "0000" + "0000"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "000304030a" + "0000"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "00020403" + "00020000"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "00020403" + "0003000230"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "00020403" + "0000" + "ff"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0140" + "00020403"))));
        assertDecodeError(() -> Tls12CertificateRequest.decode(new TlsReader(Hex.decode("0240" + "00020403" + "0000"))));
    }

    // ---- ServerHelloDone, Certificate ----------------------------------------------------------

    @Test
    void serverHelloDone() throws Exception {
        assertEquals("0e000000", Hex.encode(ServerHelloDone.encode()));
        ServerHelloDone.decode(body(ServerHelloDone.encode(), HandshakeType.SERVER_HELLO_DONE));
        assertDecodeError(() -> ServerHelloDone.decode(new TlsReader(new byte[1])));
    }

    @Test
    void certificateRoundTripAndEncoding() throws Exception {
        byte[] c1 = bytes(300, 0x30);
        byte[] c2 = bytes(5, 0x31);
        byte[] enc = new Tls12Certificate(List.of(c1, c2)).encode();
        assertEquals("0b00013a" + "000137" + "00012c" + "30".repeat(300) + "000005" + "3131313131", Hex.encode(enc));
        Tls12Certificate back = Tls12Certificate.decode(body(enc, 11));
        assertEquals(2, back.certificates().size());
        assertArrayEquals(c1, back.certificates().get(0));
        assertArrayEquals(c2, back.certificates().get(1));
        // An empty list is a client without a certificate (RFC 5246 7.4.6).
        assertEquals("0b000003000000", Hex.encode(new Tls12Certificate(List.of()).encode()));
        assertTrue(Tls12Certificate.decode(new TlsReader(Hex.decode("000000"))).certificates().isEmpty());
    }

    @Test
    void certificateMalformed() {
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("000003000000"))));
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("000004000002aa"))));
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("000002000001"))));
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("000000" + "00"))));
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("0000"))));
        // A TLS 1.3 style entry (trailing extensions length) does not parse as TLS 1.2.
        assertDecodeError(() -> Tls12Certificate.decode(new TlsReader(Hex.decode("000006" + "000001aa" + "0000"))));
    }

    // ---- Extensions ----------------------------------------------------------------------------

    @Test
    void renegotiationInfo() throws Exception {
        Extension initial = RenegotiationInfo.initial();
        assertEquals(0xff01, initial.type());
        assertArrayEquals(new byte[] {0}, initial.data());
        RenegotiationInfo.checkInitial(initial.data());
        byte[] verify = bytes(24, 9);
        byte[] data = RenegotiationInfo.encode(verify);
        assertEquals("18" + "09".repeat(24), Hex.encode(data));
        assertArrayEquals(verify, RenegotiationInfo.decode(data));
        TlsAlertException notEmpty = assertThrows(TlsAlertException.class, () -> RenegotiationInfo.checkInitial(data));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, notEmpty.alert());
        assertDecodeError(() -> RenegotiationInfo.decode(new byte[0]));
        assertDecodeError(() -> RenegotiationInfo.decode(Hex.decode("0000")));
        assertDecodeError(() -> RenegotiationInfo.decode(Hex.decode("02aa")));
    }

    @Test
    void extendedMasterSecret() throws Exception {
        Extension e = ExtendedMasterSecret.extension();
        assertEquals(23, e.type());
        assertEquals(0, e.data().length);
        ExtendedMasterSecret.decode(e.data());
        assertDecodeError(() -> ExtendedMasterSecret.decode(new byte[1]));
    }

    // ---- SunJSSE's ECDHE messages through our decoders -----------------------------------------

    @Test
    void sunJsseEcdheServerKeyExchangeDecodesAndVerifies() throws Exception {
        SunJsseCapture.Capture cap = SunJsseCapture.captureSunJsse("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                new byte[] {1}, new byte[] {2});
        List<SunJsseCapture.Msg> server = SunJsseCapture.messages(
                cap.fromServer().subList(0, SunJsseCapture.indexOfType(cap.fromServer(), 20)));
        List<SunJsseCapture.Msg> client = SunJsseCapture.messages(
                cap.fromClient().subList(0, SunJsseCapture.indexOfType(cap.fromClient(), 20)));
        assertEquals(HandshakeType.SERVER_KEY_EXCHANGE, server.get(2).type());
        assertEquals(HandshakeType.SERVER_HELLO_DONE, server.get(3).type());
        byte[] clientRandom = Arrays.copyOfRange(client.get(0).body(), 2, 34);
        byte[] serverRandom = Arrays.copyOfRange(server.get(0).body(), 2, 34);

        EcdheServerKeyExchange ske = EcdheServerKeyExchange.decode(new TlsReader(server.get(2).body()));
        // Re-encoding gives SunJSSE's bytes exactly.
        assertArrayEquals(server.get(2).whole(), ske.encode());
        NamedGroup group = NamedGroup.of(ske.namedGroup());
        group.decodePublic(ske.publicPoint());
        SignatureScheme scheme = SignatureScheme.of(ske.signatureScheme());
        Signature verifier = Signature.getInstance(scheme.jcaName());
        if (scheme.jcaName().equals("RSASSA-PSS")) {
            int h = ske.signatureScheme() == 0x0804 ? 32 : ske.signatureScheme() == 0x0805 ? 48 : 64;
            String md = h == 32 ? "SHA-256" : h == 48 ? "SHA-384" : "SHA-512";
            verifier.setParameter(new java.security.spec.PSSParameterSpec(md, "MGF1",
                    new java.security.spec.MGF1ParameterSpec(md), h, 1));
        }
        verifier.initVerify(cap.cert().getPublicKey());
        verifier.update(ske.signedParams(clientRandom, serverRandom));
        assertTrue(verifier.verify(ske.signature()), "SunJSSE's ServerKeyExchange signature over our signed params");

        ServerHelloDone.decode(new TlsReader(server.get(3).body()));
        EcdheClientKeyExchange cke = EcdheClientKeyExchange.decode(new TlsReader(client.get(1).body()));
        assertArrayEquals(client.get(1).whole(), cke.encode());
        group.decodePublic(cke.publicPoint());
    }
}
