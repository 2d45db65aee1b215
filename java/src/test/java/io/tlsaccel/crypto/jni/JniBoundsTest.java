package io.tlsaccel.crypto.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.testutil.AeadPaths;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C layer's own checks, reached by calling the JNI entry points directly with what the
 * Java wrappers would never pass: each must come back as TA_ERR_ARG, and the JVM running
 * this test must survive every one.
 */
class JniBoundsTest {

    private static final int ERR_ARG = -1;

    @BeforeAll
    static void needsNative() {
        AeadPaths.requireNativeInCi();
        assumeTrue(NativeLoader.status().usable(), () -> "native library unusable: " + NativeLoader.status().reason());
    }

    @Test
    void createRefusesBadKeysAndAlgorithms() {
        assertEquals(ERR_ARG, AeadJni.create(1, -1, null, 0, 16));
        assertEquals(ERR_ARG, AeadJni.create(1, -1, new byte[16], 1, 16));
        assertEquals(ERR_ARG, AeadJni.create(1, -1, new byte[16], -1, 16));
        assertEquals(ERR_ARG, AeadJni.create(1, -1, new byte[16], 0, 15));
        assertEquals(ERR_ARG, AeadJni.create(1, -1, new byte[100], 0, 100));
        assertEquals(ERR_ARG, AeadJni.create(77, -1, new byte[16], 0, 16));
        assertEquals(ERR_ARG, AeadJni.create(1, 99, new byte[16], 0, 16));
        assertEquals(ERR_ARG, MacJni.create(1, -1, new byte[16], 10, 16));
        assertEquals(ERR_ARG, MacJni.create(99, -1, new byte[16], 0, 16));
    }

    @Test
    void sealAndOpenRefuseEveryOutOfRangeRegion() {
        int alg = AeadAlgorithm.AES_128_GCM.nativeId();
        assumeTrue(io.tlsaccel.nativelib.TaNative.ta_aead_impl_best(alg) >= 0, "no native AES-GCM here");
        long ctx = AeadJni.create(alg, -1, new byte[16], 0, 16);
        assertTrue(ctx > 0);
        try {
            byte[] nonce = new byte[12];
            byte[] in = new byte[64];
            byte[] out = new byte[80];
            ByteBuffer din = ByteBuffer.allocateDirect(64);
            ByteBuffer dout = ByteBuffer.allocateDirect(80);
            // record form
            assertEquals(ERR_ARG, AeadJni.record(0, true, 0, 0, 0, 0, 5, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 17, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, -1, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, null, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 1, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, -5, 10, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 0, -1, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 0, 64, out, false, 1));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 0, 64, out, false, 81));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 0, 64, out, false, -1));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, din, true, 0, 65, dout, true, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, din, true, 0, 64, dout, true, 1));
            assertEquals(ERR_ARG, AeadJni.record(ctx, false, 0, 0, 0, 0, 5, din, true, 0, 15, dout, true, 0));
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5,
                    ByteBuffer.allocate(64), true, 0, 64, dout, true, 0)); // heap buffer claimed direct
            assertEquals(ERR_ARG, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, out, false, 0, 64, out, false, 8));
            // general form
            assertEquals(ERR_ARG, AeadJni.general(ctx, true, new byte[11], null, 0, 0, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.general(ctx, true, null, null, 0, 0, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.general(ctx, true, nonce, null, 0, 4, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.general(ctx, true, nonce, new byte[4], 1, 4, in, false, 0, 64, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.general(ctx, true, nonce, new byte[4], -1, 2, in, false, 0, 64, out, false, 0));
            // record path on addresses
            long a = AeadJni.address(din), b = AeadJni.address(dout);
            assertTrue(a != 0 && b != 0);
            assertEquals(0, AeadJni.address(ByteBuffer.allocate(8)), "heap buffers have no address");
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, 0, 64, b, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, a, 64, 0, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, a, -1, b, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, a, 64, b, 79));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, a, 64, b, -1));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, false, 0, 0, 0, 0, 5, a, 15, b, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 17, a, 64, b, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(0, true, 0, 0, 0, 0, 5, a, 64, b, 80));
            assertEquals(ERR_ARG, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, b, 64, b + 8, 72)); // overlap
            assertEquals(80, AeadJni.recordDirect(ctx, true, 0, 0, 0, 0, 5, a, 64, b, 80));
            assertEquals(64, AeadJni.recordDirect(ctx, false, 0, 0, 0, 0, 5, b, 80, a, 64));
            assertEquals(-2, AeadJni.recordDirect(ctx, false, 1, 0, 0, 0, 5, b, 80, a, 64), "wrong nonce: tag fails");
            // the record seal from the caller's buffer, with a trailer byte (TLS 1.3) or none
            // (TLS 1.2): in + 1 + 16, or in + 16, must fit out
            assertEquals(ERR_ARG, AeadJni.sealFrom(0, 0, 0, 0, 0, 5, in, false, 0, 63, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 17, in, false, 0, 63, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 64, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 63, 256, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 63, -2, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 64, AeadJni.NO_TRAILER, out, false, 1));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 2, 63, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, -1, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 63, 23, out, false, 1));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, null, false, 0, 63, 23, out, false, 0));
            assertEquals(ERR_ARG, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5,
                    ByteBuffer.allocate(64), true, 0, 63, 23, dout, true, 0)); // heap buffer claimed direct
            assertEquals(80, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 63, 23, out, false, 0));
            assertEquals(80, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, din, true, 0, 63, 23, dout, true, 0));
            assertEquals(80, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, out, false, 3, 63, 23, out, false, 0)); // overlapping
            assertEquals(80, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, in, false, 0, 64, AeadJni.NO_TRAILER, out, false, 0));
            assertEquals(80, AeadJni.sealFrom(ctx, 0, 0, 0, 0, 5, dout, true, 9, 64, AeadJni.NO_TRAILER, dout, true, 0));
            // good calls still work, arrays and direct
            assertEquals(80, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, in, false, 0, 64, out, false, 0));
            assertEquals(80, AeadJni.record(ctx, true, 0, 0, 0, 0, 5, din, true, 0, 64, dout, true, 0));
            assertEquals(64, AeadJni.record(ctx, false, 0, 0, 0, 0, 5, out, false, 0, 80, in, false, 0));
        } finally {
            AeadJni.free(ctx);
        }
        AeadJni.free(0); // freeing nothing is fine
    }
}
