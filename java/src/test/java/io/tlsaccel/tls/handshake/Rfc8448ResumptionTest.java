package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tlsaccel.testutil.Hex;
import io.tlsaccel.tls.message.ClientHello;
import io.tlsaccel.tls.message.ExtensionType;
import io.tlsaccel.tls.message.OfferedPsks;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 8448 section 4 (Resumed 0-RTT Handshake), the parts that do not depend on early data:
 * the ticket's PSK from section 3's resumption master secret, the binder over the truncated
 * ClientHello, and the handshake and application secrets of the resumed handshake.
 */
class Rfc8448ResumptionTest {
    static final Tls13CipherSuite SUITE = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
    /** Section 3: resumption_master_secret; the ticket's nonce is 00 00. */
    static final byte[] RESUMPTION_MASTER = Hex.decode("7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
    static final byte[] PSK = Hex.decode("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
    /** Section 4: the ClientHello up to the binders (Truncate(ClientHello), RFC 8446 4.2.11.2). */
    static final byte[] CLIENT_HELLO_PREFIX = Hex.decode(
            "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95000006130113031302010001cd0000000b00"
            + "09000006736572766572ff01000100000a00140012001d00170018001901000101010201030104003300260024001d0020e4ffb68ac05f8d"
            + "96c99da26698346c6be16482badddafe051a66b4f18d668f0b002a0000002b0003020304000d0020001e0403050306030203080408050806"
            + "04010501060102010402050206020202002d00020101001c0002400100150057000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000002900dd00b800b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c936"
            + "7c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3664d4e6da4d29ee0"
            + "3725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5aea617646fac5c03272e970727c6"
            + "21a79141ef5f7de6505e5bfbc388e93343694093934ae4d357fad6aacb");
    static final byte[] BINDER = Hex.decode("3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d");
    static final byte[] SERVER_HELLO = Hex.decode(
            "0200005c03033ccfd2dec890222763472ae8136777c9d7358777bb66e91ea5122495f559ea2d00130100003400290002000000330024"
            + "001d0020121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31002b00020304");
    static final byte[] ENCRYPTED_EXTENSIONS = Hex.decode(
            "080000280026000a00140012001d00170018001901000101010201030104001c0002400100000000002a0000");
    static final byte[] SERVER_FINISHED = Hex.decode("1400002048d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2");
    static final byte[] SHARED = Hex.decode("f44194756ff9ec9d25180635d66ea6824c6ab3bf179977be37f723570e7ccb2e");

    static byte[] clientHello() {
        byte[] out = Arrays.copyOf(CLIENT_HELLO_PREFIX, CLIENT_HELLO_PREFIX.length + 3 + BINDER.length);
        out[CLIENT_HELLO_PREFIX.length] = 0x00;
        out[CLIENT_HELLO_PREFIX.length + 1] = 0x21;
        out[CLIENT_HELLO_PREFIX.length + 2] = 0x20;
        System.arraycopy(BINDER, 0, out, CLIENT_HELLO_PREFIX.length + 3, BINDER.length);
        return out;
    }

    static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    @Test
    void ticketPskFromTheResumptionMasterSecret() {
        assertArrayEquals(PSK, new KeySchedule(SUITE).ticketPsk(RESUMPTION_MASTER, new byte[] {0, 0}));
    }

    @Test
    void binderOverTheTruncatedClientHello() throws Exception {
        byte[] ch = clientHello();
        // Our truncation point, from the pre_shared_key extension as we parse it.
        ClientHello hello = ClientHello.decode(new TlsReader(ch, 4, ch.length - 4));
        OfferedPsks psks = OfferedPsks.decode(hello.extension(ExtensionType.PRE_SHARED_KEY));
        assertEquals(1, psks.identities().size());
        assertEquals(0xfad6aacbL, psks.identities().get(0).obfuscatedTicketAge());
        int truncated = ch.length - psks.bindersLength();
        assertArrayEquals(CLIENT_HELLO_PREFIX, Arrays.copyOf(ch, truncated));
        assertEquals("63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14",
                Hex.encode(new TranscriptHash().currentWith(ch, truncated, SUITE)));
        byte[] binder = new KeySchedule(SUITE).binder(PSK, sha256(CLIENT_HELLO_PREFIX));
        assertArrayEquals(BINDER, binder);
        assertArrayEquals(BINDER, psks.binders().get(0));
    }

    @Test
    void resumedHandshakeSecrets() throws Exception {
        KeySchedule ks = new KeySchedule(SUITE);
        ks.usePsk(PSK);
        byte[] ch = clientHello();
        KeySchedule.TrafficSecrets hs = ks.deriveHandshakeSecrets(SHARED.clone(), sha256(ch, SERVER_HELLO));
        assertEquals("2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f", Hex.encode(hs.client()));
        assertEquals("fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803", Hex.encode(hs.server()));
        assertEquals("48d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2",
                Hex.encode(ks.finishedVerifyData(hs.server(), sha256(ch, SERVER_HELLO, ENCRYPTED_EXTENSIONS))));
        KeySchedule.TrafficSecrets app = ks.deriveApplicationSecrets(sha256(ch, SERVER_HELLO, ENCRYPTED_EXTENSIONS, SERVER_FINISHED));
        assertEquals("2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1", Hex.encode(app.client()));
        assertEquals("cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691", Hex.encode(app.server()));
    }
}
