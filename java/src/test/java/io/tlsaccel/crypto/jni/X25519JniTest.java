package io.tlsaccel.crypto.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.nativelib.TaNative;
import io.tlsaccel.testutil.AeadPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The X25519 JNI entry points called directly with what {@link NativeX25519} never passes:
 * nulls, wrong lengths, unknown implementations. Each must come back as a TA_* code (and
 * the JVM survive); the same array as input and output must work.
 */
class X25519JniTest {

    private static final int ERR_ARG = -1;
    private static final int ERR_UNSUPPORTED = -3;

    @BeforeAll
    static void needsNative() {
        AeadPaths.requireNativeInCi();
        assumeTrue(NativeLoader.status().usable(), () -> "native library unusable: " + NativeLoader.status().reason());
    }

    @Test
    void refusesNullsAndWrongLengths() {
        byte[] k = new byte[32];
        for (byte[] bad : new byte[][] {null, new byte[0], new byte[31], new byte[33]}) {
            assertEquals(ERR_ARG, X25519Jni.publicKey(-1, bad, k));
            assertEquals(ERR_ARG, X25519Jni.publicKey(-1, k, bad));
            assertEquals(ERR_ARG, X25519Jni.sharedSecret(-1, bad, k, k));
            assertEquals(ERR_ARG, X25519Jni.sharedSecret(-1, k, bad, k));
            assertEquals(ERR_ARG, X25519Jni.sharedSecret(-1, k, k, bad));
        }
    }

    @Test
    void refusesUnknownImplementations() {
        byte[] k = new byte[32];
        int n = TaNative.ta_x25519_impl_count();
        assertEquals(ERR_ARG, X25519Jni.publicKey(n, k, new byte[32]));
        assertEquals(ERR_ARG, X25519Jni.publicKey(-2, k, new byte[32]));
        for (int i = 0; i < n; i++) {
            if (TaNative.ta_x25519_impl_usable(i) != 1) {
                assertEquals(ERR_UNSUPPORTED, X25519Jni.publicKey(i, k, new byte[32]));
            }
        }
    }

    @Test
    void zeroSecretIsReportedAndOutputsMayBeInputs() {
        byte[] k = new byte[32];
        k[0] = 1;
        byte[] lowOrder = new byte[32]; // u = 0
        byte[] out = new byte[32];
        assertEquals(X25519Jni.ERR_ZERO_SECRET, X25519Jni.sharedSecret(-1, k, lowOrder, out));
        byte[] pub = new byte[32];
        assertEquals(0, X25519Jni.publicKey(-1, k, pub));
        byte[] inPlace = k.clone();
        assertEquals(0, X25519Jni.publicKey(-1, inPlace, inPlace));
        assertArrayEquals(pub, inPlace);
    }
}
