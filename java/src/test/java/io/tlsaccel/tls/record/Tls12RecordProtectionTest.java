package io.tlsaccel.tls.record;

import io.tlsaccel.testutil.Hex;
import io.tlsaccel.tls.record.PrfHash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import io.tlsaccel.crypto.java.JavaBackend;
import io.tlsaccel.tls.handshake.Tls12Prf;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.Tls12RecordProtection;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.2 record protection against the JDK's own AES-GCM and ChaCha20-Poly1305: the test
 * builds nonce and additional data itself from RFC 5246 6.2.3.3, RFC 5288 section 3 and
 * RFC 7905 section 2, and checks records in both directions, on every backend that runs here.
 */
class Tls12RecordProtectionTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final int APPLICATION_DATA = 23;
    static final int HANDSHAKE = 22;

    /** A backend and an algorithm. */
    record Case(String backend, AeadAlgorithm alg) {
        @Override
        public String toString() {
            return backend + "/" + alg.displayName();
        }
    }

    static List<Case> cases() {
        List<String> backends = new ArrayList<>(List.of("selected", "java"));
        try {
            Backends.get("native");
            backends.add("native");
        } catch (RuntimeException | LinkageError e) {
            // The C layer does not run here: the other backends are still tested.
        }
        List<Case> out = new ArrayList<>();
        for (String b : backends) {
            for (AeadAlgorithm a : AeadAlgorithm.values()) {
                out.add(new Case(b, a));
            }
        }
        return out;
    }

    static Backend backend(String name) {
        switch (name) {
            case "selected": return Backends.selected();
            case "java": return new JavaBackend(JavaBackend.Choice.OWN); // ours: allocation-free (the JDK's is not)
            default: return Backends.get(name);
        }
    }

    static int ivLength(AeadAlgorithm alg) {
        return alg == AeadAlgorithm.CHACHA20_POLY1305 ? 12 : 4;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static Tls12RecordProtection protection(Case c, byte[] key, byte[] iv) {
        Aead aead = backend(c.backend()).newAead(c.alg(), key.clone());
        return new Tls12RecordProtection(aead, iv.clone());
    }

    /** The JDK's view of one record: nonce and AAD built here, independently. */
    static Cipher jdk(int mode, AeadAlgorithm alg, byte[] key, byte[] iv, long seq, byte[] explicit,
                      int type, int plaintextLength) throws Exception {
        byte[] nonce = new byte[12];
        if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
            // RFC 7905 section 2: the 64-bit sequence number, left-padded with zeros, XOR the IV.
            for (int i = 0; i < 12; i++) {
                nonce[i] = iv[i];
            }
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] ^= (byte) (seq >>> (56 - 8 * i));
            }
        } else {
            // RFC 5288 section 3: salt (4) || nonce_explicit (8).
            System.arraycopy(iv, 0, nonce, 0, 4);
            System.arraycopy(explicit, 0, nonce, 4, 8);
        }
        // RFC 5246 6.2.3.3: seq_num + type + version + length.
        ByteBuffer aad = ByteBuffer.allocate(13);
        aad.putLong(seq).put((byte) type).put((byte) 3).put((byte) 3).putShort((short) plaintextLength);
        Cipher cipher;
        if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        }
        cipher.updateAAD(aad.array());
        return cipher;
    }

    static byte[] seqBytes(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void ourRecordsOpenWithTheJdk(Case c) throws Exception {
        byte[] key = random(c.alg().keyLength());
        byte[] iv = random(ivLength(c.alg()));
        try (Tls12RecordProtection p = protection(c, key, iv)) {
            int explicitLen = p.explicitNonceLength();
            assertEquals(c.alg() == AeadAlgorithm.CHACHA20_POLY1305 ? 0 : 8, explicitLen);
            for (int seq = 0; seq < 6; seq++) {
                int len = new int[] {0, 1, 17, 1000, 16384, 333}[seq];
                int type = seq % 2 == 0 ? APPLICATION_DATA : HANDSHAKE;
                byte[] plain = random(len);
                ByteBuffer src = ByteBuffer.wrap(plain);
                ByteBuffer dst = ByteBuffer.allocate(len + p.overhead() + 3);
                dst.position(3);
                int n = p.seal(type, src, len, dst);
                assertEquals(len + p.overhead(), n);
                assertEquals(3 + n, dst.position());
                assertEquals(len, src.position());
                byte[] rec = Arrays.copyOfRange(dst.array(), 3, 3 + n);
                // Header: type, {3,3}, fragment length.
                assertEquals(type, rec[0] & 0xff);
                assertEquals(3, rec[1]);
                assertEquals(3, rec[2]);
                assertEquals(n - 5, ((rec[3] & 0xff) << 8) | (rec[4] & 0xff));
                byte[] explicit = Arrays.copyOfRange(rec, 5, 5 + explicitLen);
                if (explicitLen == 8) {
                    assertArrayEquals(seqBytes(seq), explicit, "we send the sequence number as nonce_explicit");
                }
                Cipher jdk = jdk(Cipher.DECRYPT_MODE, c.alg(), key, iv, seq, seqBytes(seq), type, len);
                byte[] opened = jdk.doFinal(rec, 5 + explicitLen, n - 5 - explicitLen);
                assertArrayEquals(plain, opened, "record " + seq);
            }
            assertEquals(6, p.sequenceNumber());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void jdkRecordsOpenWithOurs(Case c) throws Exception {
        byte[] key = random(c.alg().keyLength());
        byte[] iv = random(ivLength(c.alg()));
        try (Tls12RecordProtection p = protection(c, key, iv)) {
            int explicitLen = p.explicitNonceLength();
            for (int seq = 0; seq < 5; seq++) {
                int len = new int[] {5, 0, 16384, 64, 4097}[seq];
                int type = seq == 1 ? 21 : APPLICATION_DATA;
                byte[] plain = random(len);
                // A peer may pick any nonce_explicit (RFC 5288 section 3); use a random one.
                byte[] explicit = random(8);
                Cipher jdk = jdk(Cipher.ENCRYPT_MODE, c.alg(), key, iv, seq, explicit, type, len);
                byte[] ct = jdk.doFinal(plain);
                ByteBuffer in = ByteBuffer.allocateDirect(explicitLen + ct.length + 7);
                in.position(7);
                if (explicitLen == 8) {
                    in.put(explicit);
                }
                in.put(ct);
                in.position(7);
                ByteBuffer out = ByteBuffer.allocate(len + 2);
                out.position(2);
                int n = p.open(type, in, explicitLen + ct.length, out);
                assertEquals(len, n);
                assertEquals(2 + len, out.position());
                assertEquals(in.limit(), in.position());
                assertArrayEquals(plain, Arrays.copyOfRange(out.array(), 2, 2 + len), "record " + seq);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void ourRecordsRoundTripWithKeyBlockKeys(Case c) throws Exception {
        Tls12Prf prf = new Tls12Prf(c.alg() == AeadAlgorithm.AES_256_GCM ? PrfHash.SHA384 : PrfHash.SHA256);
        Tls12Prf.KeyBlock kb = prf.keyBlock(prf.masterSecret(random(48), random(32), random(32)), random(32),
                random(32), c.alg());
        Backend b = backend(c.backend());
        try (Tls12RecordProtection clientWrite = new Tls12RecordProtection(b.newAead(c.alg(), kb.clientWriteKey()),
                     kb.clientWriteIv());
             Tls12RecordProtection serverRead = new Tls12RecordProtection(b.newAead(c.alg(), kb.clientWriteKey()),
                     kb.clientWriteIv());
             Tls12RecordProtection serverWrite = new Tls12RecordProtection(b.newAead(c.alg(), kb.serverWriteKey()),
                     kb.serverWriteIv())) {
            for (int i = 0; i < 3; i++) {
                byte[] plain = random(100 + i);
                ByteBuffer net = ByteBuffer.allocateDirect(plain.length + clientWrite.overhead());
                clientWrite.seal(APPLICATION_DATA, ByteBuffer.wrap(plain), plain.length, net);
                net.flip();
                net.position(5);
                ByteBuffer app = ByteBuffer.allocateDirect(plain.length);
                serverRead.open(APPLICATION_DATA, net, net.remaining(), app);
                byte[] got = new byte[plain.length];
                app.flip().get(got);
                assertArrayEquals(plain, got);
            }
            // The other direction's key does not open the client's records.
            byte[] plain = random(10);
            ByteBuffer net = ByteBuffer.allocate(10 + serverWrite.overhead());
            serverWrite.seal(APPLICATION_DATA, ByteBuffer.wrap(plain), 10, net);
            net.flip().position(5);
            TlsAlertException e = assertThrows(TlsAlertException.class,
                    () -> serverRead.open(APPLICATION_DATA, net, net.remaining(), ByteBuffer.allocate(10)));
            assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        }
    }

    /** Seals one 32-byte application_data record with a fresh protection; returns it and the keys. */
    static byte[][] sealOne(Case c) throws Exception {
        byte[] key = random(c.alg().keyLength());
        byte[] iv = random(ivLength(c.alg()));
        byte[] plain = random(32);
        try (Tls12RecordProtection p = protection(c, key, iv)) {
            ByteBuffer dst = ByteBuffer.allocate(32 + p.overhead());
            p.seal(APPLICATION_DATA, ByteBuffer.wrap(plain), 32, dst);
            return new byte[][] {dst.array(), key, iv, plain};
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tamperingIsBadRecordMac(Case c) throws Exception {
        byte[][] sealed = sealOne(c);
        byte[] rec = sealed[0];
        int positions = rec.length - 5;
        for (int at = 0; at < positions; at += 7) {
            byte[] bad = rec.clone();
            bad[5 + at] ^= 0x20;
            assertBadMac(c, sealed, bad, APPLICATION_DATA);
        }
        // The type is authenticated too (RFC 5246 6.2.3.3).
        assertBadMac(c, sealed, rec, HANDSHAKE);
    }

    static void assertBadMac(Case c, byte[][] sealed, byte[] rec, int type) {
        try (Tls12RecordProtection p = protection(c, sealed[1], sealed[2])) {
            ByteBuffer in = ByteBuffer.wrap(rec, 5, rec.length - 5);
            ByteBuffer out = ByteBuffer.allocate(32);
            Arrays.fill(out.array(), (byte) 0x77);
            TlsAlertException e = assertThrows(TlsAlertException.class, () -> p.open(type, in, rec.length - 5, out));
            assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
            // Nothing released: output zeroed, positions unchanged, sequence number unchanged.
            assertEquals(0, out.position());
            assertEquals(5, in.position());
            assertEquals(0, p.sequenceNumber());
            assertFalse(Arrays.equals(sealed[3], out.array()), "unauthenticated plaintext released");
            for (byte b : out.array()) {
                assertTrue(b == 0 || b == 0x77, "unauthenticated plaintext released");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sequenceNumberIsAuthenticated(Case c) throws Exception {
        byte[][] sealed = sealOne(c);
        try (Tls12RecordProtection p = protection(c, sealed[1], sealed[2])) {
            // Consume sequence number 0 with another record, then present record 0 as record 1.
            byte[] rec0 = sealed[0];
            try (Tls12RecordProtection w = protection(c, sealed[1], sealed[2])) {
                ByteBuffer tmp = ByteBuffer.allocate(1 + w.overhead());
                w.seal(APPLICATION_DATA, ByteBuffer.wrap(new byte[1]), 1, tmp);
                tmp.flip().position(5);
                p.open(APPLICATION_DATA, tmp, tmp.remaining(), ByteBuffer.allocate(1));
            }
            TlsAlertException e = assertThrows(TlsAlertException.class, () -> p.open(APPLICATION_DATA,
                    ByteBuffer.wrap(rec0, 5, rec0.length - 5), rec0.length - 5, ByteBuffer.allocate(32)));
            assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        }
    }

    @Test
    void lengthLimits() throws Exception {
        Case c = new Case("java", AeadAlgorithm.AES_128_GCM);
        try (Tls12RecordProtection p = protection(c, random(16), random(4))) {
            ByteBuffer big = ByteBuffer.allocate(Tls12RecordProtection.MAX_CIPHERTEXT + 1);
            TlsAlertException over = assertThrows(TlsAlertException.class, () -> p.open(APPLICATION_DATA, big,
                    Tls12RecordProtection.MAX_CIPHERTEXT + 1, ByteBuffer.allocate(1 << 15)));
            assertEquals(AlertDescription.RECORD_OVERFLOW, over.alert());
            // Within 2^14 + 2048 but more than 2^14 of plaintext.
            TlsAlertException plain = assertThrows(TlsAlertException.class, () -> p.open(APPLICATION_DATA, big,
                    (1 << 14) + 8 + 16 + 1, ByteBuffer.allocate(1 << 15)));
            assertEquals(AlertDescription.RECORD_OVERFLOW, plain.alert());
            for (int len : new int[] {0, 8, 23}) {
                TlsAlertException shortRec = assertThrows(TlsAlertException.class, () -> p.open(APPLICATION_DATA,
                        ByteBuffer.allocate(64), len, ByteBuffer.allocate(64)));
                assertEquals(AlertDescription.BAD_RECORD_MAC, shortRec.alert());
            }
            assertThrows(IllegalArgumentException.class, () -> p.seal(APPLICATION_DATA,
                    ByteBuffer.allocate((1 << 14) + 1), (1 << 14) + 1, ByteBuffer.allocate(1 << 15)));
            assertThrows(BufferOverflowException.class, () -> p.seal(APPLICATION_DATA, ByteBuffer.allocate(10), 10,
                    ByteBuffer.allocate(10 + p.overhead() - 1)));
            assertEquals(0, p.sequenceNumber());
        }
        // ChaCha20-Poly1305 has no explicit nonce: 16 bytes is an empty record, 15 is too short.
        try (Tls12RecordProtection p = protection(new Case("java", AeadAlgorithm.CHACHA20_POLY1305), random(32),
                random(12))) {
            assertEquals(5 + 16, p.overhead());
            TlsAlertException shortRec = assertThrows(TlsAlertException.class, () -> p.open(APPLICATION_DATA,
                    ByteBuffer.allocate(64), 15, ByteBuffer.allocate(64)));
            assertEquals(AlertDescription.BAD_RECORD_MAC, shortRec.alert());
        }
    }

    @Test
    void wrongIvLengthIsRejected() {
        Backend b = new JavaBackend();
        assertThrows(IllegalArgumentException.class,
                () -> new Tls12RecordProtection(b.newAead(AeadAlgorithm.AES_128_GCM, random(16)), random(12)));
        assertThrows(IllegalArgumentException.class,
                () -> new Tls12RecordProtection(b.newAead(AeadAlgorithm.CHACHA20_POLY1305, random(32)), random(4)));
    }

    @Test
    void headerIsBigEndianWhateverTheBufferOrder() throws Exception {
        Case c = new Case("java", AeadAlgorithm.AES_256_GCM);
        byte[] key = random(32);
        byte[] iv = random(4);
        try (Tls12RecordProtection p = protection(c, key, iv)) {
            for (int i = 0; i < 2; i++) {
                ByteBuffer dst = ByteBuffer.allocate(300 + p.overhead()).order(ByteOrder.LITTLE_ENDIAN);
                p.seal(APPLICATION_DATA, ByteBuffer.wrap(new byte[300]), 300, dst);
                byte[] rec = dst.array();
                assertEquals("17030301" + "44", Hex.encode(Arrays.copyOf(rec, 5)));
                assertArrayEquals(seqBytes(i), Arrays.copyOfRange(rec, 5, 13));
            }
        }
    }

    @Test
    void createUsesTheSelectedBackendAndWipesItsInputs() throws Exception {
        byte[] key = random(16);
        byte[] iv = random(4);
        byte[] keyCopy = key.clone();
        byte[] ivCopy = iv.clone();
        try (Tls12RecordProtection p = Tls12RecordProtection.create(AeadAlgorithm.AES_128_GCM, key, iv)) {
            assertArrayEquals(new byte[16], key);
            assertArrayEquals(new byte[4], iv);
            ByteBuffer dst = ByteBuffer.allocate(3 + p.overhead());
            p.seal(APPLICATION_DATA, ByteBuffer.wrap(new byte[] {1, 2, 3}), 3, dst);
            byte[] rec = dst.array();
            Cipher jdk = jdk(Cipher.DECRYPT_MODE, AeadAlgorithm.AES_128_GCM, keyCopy, ivCopy, 0, seqBytes(0),
                    APPLICATION_DATA, 3);
            assertArrayEquals(new byte[] {1, 2, 3}, jdk.doFinal(rec, 13, rec.length - 13));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void noAllocationPerRecord(Case c) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        byte[] key = random(c.alg().keyLength());
        byte[] iv = random(ivLength(c.alg()));
        try (Tls12RecordProtection w = protection(c, key, iv); Tls12RecordProtection r = protection(c, key, iv)) {
            ByteBuffer app = ByteBuffer.allocateDirect(1024);
            ByteBuffer net = ByteBuffer.allocateDirect(1024 + w.overhead());
            ByteBuffer back = ByteBuffer.allocateDirect(1024);
            long tid = Thread.currentThread().getId();
            long before = 0;
            int rounds = 20_000;
            for (int i = 0; i < 2 * rounds; i++) {
                if (i == rounds) {
                    before = threads.getThreadAllocatedBytes(tid);
                }
                app.clear();
                net.clear();
                back.clear();
                w.seal(APPLICATION_DATA, app, 1024, net);
                net.flip().position(5);
                r.open(APPLICATION_DATA, net, net.remaining(), back);
            }
            long perRecord = (threads.getThreadAllocatedBytes(tid) - before) / rounds;
            assertTrue(perRecord == 0, c + ": " + perRecord + " bytes allocated per sealed and opened record");
        }
    }
}
