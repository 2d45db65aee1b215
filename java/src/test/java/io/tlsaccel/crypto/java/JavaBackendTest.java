package io.tlsaccel.crypto.java;

import static io.tlsaccel.crypto.java.AeadTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Names, lifecycle and hygiene of the Java backend. */
class JavaBackendTest {

    private static final JavaBackend BACKEND = new JavaBackend(JavaBackend.Choice.OWN);

    @Test
    void names() {
        assertEquals("java", BACKEND.name());
        assertEquals("java/tables", BACKEND.implementation(AeadAlgorithm.AES_128_GCM));
        assertEquals("java/tables", BACKEND.implementation(AeadAlgorithm.AES_256_GCM));
        assertEquals("java/scalar", BACKEND.implementation(AeadAlgorithm.CHACHA20_POLY1305));
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            try (Aead x = BACKEND.newAead(a, new byte[a.keyLength()])) {
                assertEquals(BACKEND.implementation(a), x.implementation());
                assertEquals(a, x.algorithm());
            }
        }
        for (MacAlgorithm m : MacAlgorithm.values()) {
            assertEquals("java/jdk", BACKEND.implementation(m));
            try (Mac x = BACKEND.newMac(m, new byte[16])) {
                assertEquals(BACKEND.implementation(m), x.implementation());
                assertEquals(m, x.algorithm());
            }
        }
    }

    /** The key is taken from keyOff, and later changes to the caller's array do not matter. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void keyIsCopiedFromItsOffset(AeadAlgorithm a) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        byte[] key = bytes(r, a.keyLength());
        byte[] padded = new byte[key.length + 7];
        System.arraycopy(key, 0, padded, 3, key.length);
        byte[] nonce = bytes(r, 12), msg = bytes(r, 77);
        try (Aead x = BACKEND.newAead(a, padded, 3, key.length)) {
            java.util.Arrays.fill(padded, (byte) 0);
            byte[] out = new byte[93];
            x.seal(nonce, null, 0, 0, msg, 0, 77, out, 0);
            assertArrayEquals(AeadTestSupport.jdkSeal(a, key, nonce, new byte[0], msg), out);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void closeZeroesKeyMaterialAndToStringHidesIt(AeadAlgorithm a) throws Exception {
        byte[] key = bytes(new SplittableRandom(9), a.keyLength());
        Aead x = BACKEND.newAead(a, key);
        byte[] out = new byte[116];
        x.seal(new byte[12], new byte[5], 0, 5, new byte[100], 0, 100, out, 0);
        String s = x.toString();
        String hex = HexFormat.of().formatHex(key);
        assertFalse(s.contains(hex) || s.toLowerCase().contains(hex.substring(0, 8)), s);
        assertFalse(s.contains(java.util.Arrays.toString(key)), s);
        assertTrue(s.contains(a.displayName()), s);
        assertFalse(keyMaterialIsZero(x), "key material present before close");
        x.close();
        assertTrue(keyMaterialIsZero(x), "close() must zero round keys, GHASH tables, ChaCha/Poly1305 keys");
        assertTrue(x.toString().contains("closed"), x.toString());
    }

    private static boolean keyMaterialIsZero(Aead x) {
        if (x instanceof AesGcm) {
            return ((AesGcm) x).keyMaterialIsZero();
        }
        return ((ChaCha20Poly1305) x).keyMaterialIsZero();
    }

    /** The record forms, and the buffer forms on direct buffers, allocate nothing per call. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void recordCallsDoNotAllocate(AeadAlgorithm a) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Aead x = BACKEND.newAead(a, new byte[a.keyLength()])) {
            ByteBuffer plain = ByteBuffer.allocateDirect(5000);
            ByteBuffer sealed = ByteBuffer.allocateDirect(5016);
            ByteBuffer back = ByteBuffer.allocate(5000);
            byte[] nonce = new byte[12], aad = new byte[13];
            for (int round = 0; round < 2; round++) { // the first round warms up
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2000; i++) {
                    plain.clear();
                    sealed.clear();
                    back.clear();
                    x.sealRecord(7, i, 0x1703030000000000L, 0, 5, plain, sealed);
                    sealed.flip();
                    x.openRecord(7, i, 0x1703030000000000L, 0, 5, sealed, back);
                    plain.clear();
                    sealed.clear();
                    back.clear();
                    x.seal(nonce, aad, plain, sealed);
                    sealed.flip();
                    x.open(nonce, aad, sealed, back);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 1) {
                    assertTrue(allocated < 4096, "allocated " + allocated + " bytes in 8000 calls");
                }
            }
        }
    }
}
