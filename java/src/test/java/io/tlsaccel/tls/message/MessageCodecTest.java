package io.tlsaccel.tls.message;

import io.tlsaccel.testutil.Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.handshake.KeySchedule;
import io.tlsaccel.tls.handshake.TranscriptHash;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.CertificateMessage;
import io.tlsaccel.tls.message.CertificateRequest;
import io.tlsaccel.tls.message.CertificateVerify;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.EncryptedExtensions;
import io.tlsaccel.tls.message.Extension;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.Extensions;
import io.tlsaccel.tls.message.Finished;
import io.tlsaccel.tls.message.KeyShareEntry;
import io.tlsaccel.tls.message.KeyUpdate;
import io.tlsaccel.tls.message.NewSessionTicket;
import io.tlsaccel.tls.message.ServerHello;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.message.TlsWriter;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounded decoding, length back-filling and message round trips. */
class MessageCodecTest {

    private static TlsReader body(byte[] msg) {
        return new TlsReader(msg, 4, msg.length - 4);
    }

    @Test
    void readerReadsIntegersAndRejectsOverruns() throws Exception {
        TlsReader r = new TlsReader(Hex.decode("01 0203 040506 0708090a 0b"));
        assertEquals(1, r.u8());
        assertEquals(0x0203, r.u16());
        assertEquals(0x040506, r.u24());
        assertEquals(0x0708090aL, r.u32());
        TlsAlertException e = assertThrows(TlsAlertException.class, r::u16);
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        assertEquals(0x0b, r.u8());
        r.expectEnd();
    }

    @Test
    void subReadersAreBoundedAndLeftoversAreErrors() throws Exception {
        TlsReader r = new TlsReader(Hex.decode("0003 aabbcc dd"));
        TlsReader sub = r.u16Prefixed();
        assertEquals(3, sub.remaining());
        assertThrows(TlsAlertException.class, () -> sub.bytes(4));
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsAlertException.class, r::expectEnd).alert());
        // A length prefix longer than the data.
        assertThrows(TlsAlertException.class, () -> new TlsReader(Hex.decode("0005 aabb")).u16Prefixed());
        assertThrows(TlsAlertException.class, () -> new TlsReader(Hex.decode("ff")).u24());
    }

    @Test
    void writerBackFillsLengths() {
        TlsWriter w = new TlsWriter(2);
        int a = w.beginU16();
        w.u8(1);
        int b = w.beginU8();
        w.bytes(new byte[] {2, 3});
        w.end(b);
        int c = w.beginU24();
        w.end(c);
        w.end(a);
        assertEquals("0007" + "01" + "020203" + "000000", Hex.encode(w.toByteArray()));
        TlsWriter big = new TlsWriter();
        int m = big.beginU8();
        big.bytes(new byte[256]);
        assertThrows(IllegalArgumentException.class, () -> big.end(m));
    }

    @Test
    void clientHelloRoundTripAndExtensions() throws Exception {
        List<Extension> exts = List.of(
                Extensions.serverName("example.com"),
                Extensions.supportedVersionsClient(new int[] {0x0304}),
                Extensions.u16List(ExtensionType.SUPPORTED_GROUPS, new int[] {0x1d, 0x17}),
                Extensions.alpn(List.of("h2", "http/1.1")),
                Extensions.cookie(new byte[] {9, 9}),
                Extensions.keyShareClient(List.of(new KeyShareEntry(0x1d, new byte[32]))));
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[32], new int[] {0x1301, 0x1303}, new byte[] {0}, exts);
        byte[] enc = ch.encode();
        assertEquals(1, enc[0]);
        ClientHello back = ClientHello.decode(body(enc));
        assertArrayEquals(enc, back.encode());
        assertEquals("example.com", Extensions.parseServerName(back.extension(ExtensionType.SERVER_NAME)));
        assertArrayEquals(new int[] {0x0304}, Extensions.parseSupportedVersionsClient(back.extension(ExtensionType.SUPPORTED_VERSIONS)));
        assertEquals(List.of("h2", "http/1.1"), Extensions.parseAlpn(back.extension(ExtensionType.ALPN)));
        assertArrayEquals(new byte[] {9, 9}, Extensions.parseCookie(back.extension(ExtensionType.COOKIE)));
        assertEquals(0x1d, Extensions.parseKeyShareClient(back.extension(ExtensionType.KEY_SHARE)).get(0).group());
        // Truncate by one byte: decode_error, never an exception leak.
        byte[] cut = Arrays.copyOf(enc, enc.length - 1);
        assertEquals(AlertDescription.DECODE_ERROR,
                assertThrows(TlsAlertException.class, () -> ClientHello.decode(body(cut))).alert());
    }

    @Test
    void duplicateExtensionsAndKeySharesAreIllegal() {
        Extension e = Extensions.cookie(new byte[] {1});
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0x1301}, new byte[] {0}, List.of(e, e));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                assertThrows(TlsAlertException.class, () -> ClientHello.decode(body(ch.encode()))).alert());
        Extension ks = Extensions.keyShareClient(List.of(new KeyShareEntry(0x1d, new byte[32]), new KeyShareEntry(0x1d, new byte[32])));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                assertThrows(TlsAlertException.class, () -> Extensions.parseKeyShareClient(ks.data())).alert());
    }

    @Test
    void serverMessagesRoundTrip() throws Exception {
        ServerHello sh = new ServerHello(0x0303, ServerHello.HELLO_RETRY_REQUEST_RANDOM, new byte[32], 0x1302, 0,
                List.of(Extensions.supportedVersionsServer(0x0304), Extensions.keyShareHelloRetry(0x18)));
        ServerHello back = ServerHello.decode(body(sh.encode()));
        assertTrue(back.isHelloRetryRequest());
        assertEquals(0x18, Extensions.parseKeyShareHelloRetry(back.extension(ExtensionType.KEY_SHARE)));
        assertEquals("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c",
                Hex.encode(ServerHello.HELLO_RETRY_REQUEST_RANDOM));

        EncryptedExtensions ee = new EncryptedExtensions(List.of(Extensions.alpn(List.of("h2"))));
        assertArrayEquals(ee.encode(), EncryptedExtensions.decode(body(ee.encode())).encode());

        CertificateMessage cm = new CertificateMessage(new byte[0], List.of(new byte[] {1, 2, 3}, new byte[] {4}));
        CertificateMessage cmBack = CertificateMessage.decode(body(cm.encode()));
        assertEquals(2, cmBack.certificates().size());
        assertArrayEquals(new byte[] {4}, cmBack.certificates().get(1));

        CertificateRequest cr = new CertificateRequest(new byte[0],
                List.of(Extensions.u16List(ExtensionType.SIGNATURE_ALGORITHMS, new int[] {0x0403})));
        assertArrayEquals(cr.encode(), CertificateRequest.decode(body(cr.encode())).encode());

        CertificateVerify cv = new CertificateVerify(0x0807, new byte[64]);
        assertArrayEquals(cv.encode(), CertificateVerify.decode(body(cv.encode())).encode());

        Finished f = new Finished(new byte[32]);
        assertArrayEquals(f.encode(), Finished.decode(body(f.encode()), 32).encode());
        assertThrows(TlsAlertException.class, () -> Finished.decode(body(f.encode()), 48));

        assertTrue(KeyUpdate.decode(body(new KeyUpdate(true).encode())).updateRequested());
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                assertThrows(TlsAlertException.class, () -> KeyUpdate.decode(new TlsReader(new byte[] {2}))).alert());

        byte[] nst = Hex.decode("00001c20 01020304 00 0002 abcd 0000");
        assertEquals(7200, NewSessionTicket.decode(new TlsReader(nst)).lifetime());
    }

    @Test
    void transcriptReplacesClientHelloAfterHelloRetryRequest() throws Exception {
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_256_GCM_SHA384;
        byte[] ch1 = Hex.decode("010000020303");
        byte[] hrr = Hex.decode("020000020303");
        TranscriptHash t = new TranscriptHash();
        t.update(ch1);
        t.replaceWithMessageHash(suite);
        t.update(hrr);
        byte[] h1 = KeySchedule.hash(suite, ch1);
        MessageDigest md = MessageDigest.getInstance("SHA-384");
        md.update(new byte[] {(byte) 254, 0, 0, 48});
        md.update(h1);
        md.update(hrr);
        assertArrayEquals(md.digest(), t.current());
    }

    @Test
    void serverNameMustBeAHostName() {
        TlsWriter w = new TlsWriter();
        int m = w.beginU16();
        w.u8(0).u16Prefixed(new byte[] {'a', 0, 'b'});
        w.end(m);
        assertEquals(AlertDescription.ILLEGAL_PARAMETER,
                assertThrows(TlsAlertException.class, () -> Extensions.parseServerName(w.toByteArray())).alert());
    }
}
