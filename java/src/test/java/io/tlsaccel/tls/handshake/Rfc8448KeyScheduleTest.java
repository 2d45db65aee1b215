package io.tlsaccel.tls.handshake;

import io.tlsaccel.testutil.Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.tls.handshake.KeySchedule;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls13RecordProtection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 8448 section 3 (Simple 1-RTT Handshake): every secret, key and IV, and one record. */
class Rfc8448KeyScheduleTest {
    static final Tls13CipherSuite SUITE = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
    static final byte[] SHARED = Hex.decode("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    /** Transcript-Hash(ClientHello, ServerHello). */
    static final byte[] HELLO_HASH = Hex.decode("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    /** Transcript-Hash(ClientHello .. server Finished). */
    static final byte[] SERVER_FINISHED_HASH = Hex.decode("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");
    static final byte[] CLIENT_HS = Hex.decode("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
    static final byte[] SERVER_HS = Hex.decode("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
    static final byte[] CLIENT_FINISHED_MSG = Hex.decode(
            "14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85"
            + "27 b6 42 f2 ed d5 ce 61");
    static final byte[] CLIENT_FINISHED_RECORD = Hex.decode(
            "17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9"
            + "3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4"
            + "05 46");

    @Test
    void hkdfStagesMatchTheTrace() {
        KeySchedule ks = new KeySchedule(SUITE);
        byte[] early = ks.extract(null, new byte[32]);
        assertEquals("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", Hex.encode(early));
        byte[] emptyHash = KeySchedule.hash(SUITE, new byte[0]);
        byte[] derived = ks.deriveSecret(early, "derived", emptyHash);
        assertEquals("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba", Hex.encode(derived));
        byte[] hs = ks.extract(derived, SHARED);
        assertEquals("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac", Hex.encode(hs));
        byte[] derived2 = ks.deriveSecret(hs, "derived", emptyHash);
        assertEquals("43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4", Hex.encode(derived2));
        byte[] master = ks.extract(derived2, new byte[32]);
        assertEquals("18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919", Hex.encode(master));
    }

    @Test
    void trafficSecretsKeysAndIvsMatchTheTrace() {
        KeySchedule ks = new KeySchedule(SUITE);
        KeySchedule.TrafficSecrets hs = ks.deriveHandshakeSecrets(SHARED, HELLO_HASH);
        assertArrayEquals(CLIENT_HS, hs.client());
        assertArrayEquals(SERVER_HS, hs.server());
        assertEquals("3fce516009c21727d0f2e4e86ee403bc", Hex.encode(ks.trafficKey(hs.server())));
        assertEquals("5d313eb2671276ee13000b30", Hex.encode(ks.trafficIv(hs.server())));
        assertEquals("dbfaa693d1762c5b666af5d950258d01", Hex.encode(ks.trafficKey(hs.client())));
        assertEquals("5bd3c71b836e0b76bb73265f", Hex.encode(ks.trafficIv(hs.client())));
        assertEquals("008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8",
                Hex.encode(ks.expandLabel(hs.server(), "finished", new byte[0], 32)));
        assertEquals("b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4",
                Hex.encode(ks.expandLabel(hs.client(), "finished", new byte[0], 32)));

        KeySchedule.TrafficSecrets app = ks.deriveApplicationSecrets(SERVER_FINISHED_HASH);
        assertEquals("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", Hex.encode(app.client()));
        assertEquals("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643", Hex.encode(app.server()));
        assertEquals("fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50",
                Hex.encode(ks.exporterMasterSecret(SERVER_FINISHED_HASH)));
        assertEquals("9f02283b6c9c07efc26bb9f2ac92e356", Hex.encode(ks.trafficKey(app.server())));
        assertEquals("cf782b88dd83549aadf1e984", Hex.encode(ks.trafficIv(app.server())));
        assertEquals("17422dda596ed5d9acd890e3c63f5051", Hex.encode(ks.trafficKey(app.client())));
        assertEquals("5b78923dee08579033e523d9", Hex.encode(ks.trafficIv(app.client())));
    }

    @Test
    void clientFinishedVerifyDataMatchesTheTrace() {
        KeySchedule ks = new KeySchedule(SUITE);
        // The client Finished in the trace is over Transcript-Hash(ClientHello .. server Finished).
        byte[] verify = ks.finishedVerifyData(CLIENT_HS, SERVER_FINISHED_HASH);
        assertArrayEquals(Arrays.copyOfRange(CLIENT_FINISHED_MSG, 4, 36), verify);
    }

    private static Tls13RecordProtection clientHandshakeProtection() {
        KeySchedule ks = new KeySchedule(SUITE);
        return new Tls13RecordProtection(SUITE, ks.trafficKey(CLIENT_HS.clone()), ks.trafficIv(CLIENT_HS.clone()), 1L << 24);
    }

    @Test
    void sealReproducesTheClientFinishedRecord() throws Exception {
        try (Tls13RecordProtection p = clientHandshakeProtection()) {
            ByteBuffer out = ByteBuffer.allocate(100);
            out.position(5);
            out.put(CLIENT_FINISHED_MSG);
            out.position(0);
            p.seal(ContentType.HANDSHAKE, out, CLIENT_FINISHED_MSG.length);
            out.flip();
            byte[] rec = new byte[out.remaining()];
            out.get(rec);
            assertArrayEquals(CLIENT_FINISHED_RECORD, rec);
        }
    }

    @Test
    void sealReproducesTheRecordInADirectBuffer() throws Exception {
        try (Tls13RecordProtection p = clientHandshakeProtection()) {
            ByteBuffer out = ByteBuffer.allocateDirect(100);
            out.position(5);
            out.put(CLIENT_FINISHED_MSG);
            out.position(0);
            p.seal(ContentType.HANDSHAKE, out, CLIENT_FINISHED_MSG.length);
            out.flip();
            byte[] rec = new byte[out.remaining()];
            out.get(rec);
            assertArrayEquals(CLIENT_FINISHED_RECORD, rec);
        }
    }

    @Test
    void openRecoversTheFinishedAndRejectsAFlippedBit() throws Exception {
        try (Tls13RecordProtection p = clientHandshakeProtection()) {
            ByteBuffer in = ByteBuffer.wrap(CLIENT_FINISHED_RECORD.clone());
            in.position(5);
            ByteBuffer out = ByteBuffer.allocate(64);
            int type = p.open(in, CLIENT_FINISHED_RECORD.length - 5, out);
            assertEquals(ContentType.HANDSHAKE, type);
            assertArrayEquals(CLIENT_FINISHED_MSG, Arrays.copyOf(out.array(), out.position()));
        }
        try (Tls13RecordProtection p = clientHandshakeProtection()) {
            byte[] bad = CLIENT_FINISHED_RECORD.clone();
            bad[20] ^= 1;
            ByteBuffer in = ByteBuffer.wrap(bad);
            in.position(5);
            TlsAlertException e = assertThrows(TlsAlertException.class,
                    () -> p.open(in, bad.length - 5, ByteBuffer.allocate(64)));
            assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        }
    }
}
