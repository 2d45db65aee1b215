package io.tlsaccel.crypto.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.MacAlgorithm;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad arguments raise the documented exception before any memory is written or any position
 * moves, and the context keeps working afterwards.
 */
class JavaAeadArgumentsTest {

    private static final JavaBackend BACKEND = new JavaBackend(JavaBackend.Choice.OWN);

    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[8];
    private final byte[] in = new byte[64];
    private final byte[] out = new byte[96];
    private final ByteBuffer bufIn = ByteBuffer.allocateDirect(64);
    private final ByteBuffer bufOut = ByteBuffer.allocateDirect(96);
    private final ByteBuffer sealedIn = ByteBuffer.allocateDirect(80);

    private void bad(Class<? extends Throwable> expected, Executable call, String what) {
        Arrays.fill(out, AeadTestSupport.CANARY);
        byte[] inBefore = in.clone();
        bufIn.clear();
        bufOut.clear();
        sealedIn.clear();
        for (int i = 0; i < bufOut.capacity(); i++) {
            bufOut.put(i, AeadTestSupport.CANARY);
        }
        assertThrows(expected, call, what);
        AeadTestSupport.assertCanary(out, 0, out.length);
        assertArrayEquals(inBefore, in, what + ": input written");
        assertEquals(0, bufIn.position(), what + ": input position moved");
        assertEquals(0, bufOut.position(), what + ": output position moved");
        assertEquals(0, sealedIn.position(), what + ": input position moved");
        for (int i = 0; i < bufOut.capacity(); i++) {
            assertEquals(AeadTestSupport.CANARY, bufOut.get(i), what + ": output written");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void arrayForms(AeadAlgorithm a) throws Exception {
        try (Aead x = BACKEND.newAead(a, new byte[a.keyLength()])) {
            bad(NullPointerException.class, () -> x.seal(null, aad, 0, 8, in, 0, 64, out, 0), "null nonce");
            bad(NullPointerException.class, () -> x.seal(nonce, null, 0, 3, in, 0, 64, out, 0), "null aad, aadLen 3");
            bad(NullPointerException.class, () -> x.seal(nonce, aad, 0, 8, null, 0, 64, out, 0), "null in");
            bad(NullPointerException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, null, 0), "null out");
            bad(NullPointerException.class, () -> x.open(null, aad, 0, 8, in, 0, 64, out, 0), "open null nonce");
            bad(NullPointerException.class, () -> x.open(nonce, aad, 0, 8, null, 0, 64, out, 0), "open null in");
            bad(NullPointerException.class, () -> x.open(nonce, aad, 0, 8, in, 0, 64, null, 0), "open null out");
            for (int n : new int[] {0, 8, 11, 13, 16}) {
                bad(IllegalArgumentException.class, () -> x.seal(new byte[n], aad, 0, 8, in, 0, 64, out, 0), "nonce " + n);
                bad(IllegalArgumentException.class, () -> x.open(new byte[n], aad, 0, 8, in, 0, 64, out, 0), "open nonce " + n);
            }
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, -1, 8, in, 0, 64, out, 0), "aadOff -1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 1, 8, in, 0, 64, out, 0), "aad past end");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, -1, in, 0, 64, out, 0), "aadLen -1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, null, 1, 0, in, 0, 64, out, 0), "null aad at 1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, 8, in, -1, 64, out, 0), "inOff -1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, -1, out, 0), "inLen -1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, 8, in, 1, 64, out, 0), "in past end");
            bad(IndexOutOfBoundsException.class,
                    () -> x.seal(nonce, aad, 0, 8, in, Integer.MAX_VALUE, 64, out, 0), "inOff overflow");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, out, -1), "outOff -1");
            bad(IndexOutOfBoundsException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, out, 97), "outOff past end");
            bad(IllegalArgumentException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, out, 17), "out short by 1");
            bad(IllegalArgumentException.class, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, new byte[79], 0), "out 79");
            bad(IndexOutOfBoundsException.class, () -> x.open(nonce, aad, 0, 8, in, 0, 65, out, 0), "open in past end");
            bad(IllegalArgumentException.class, () -> x.open(nonce, aad, 0, 8, in, 0, 15, out, 0), "open 15 bytes");
            bad(IllegalArgumentException.class, () -> x.open(nonce, aad, 0, 8, in, 0, 64, out, 49), "open out short");
            // same array, overlapping but not the same region
            bad(IllegalArgumentException.class, () -> x.seal(nonce, aad, 0, 8, out, 0, 32, out, 8), "overlap ahead");
            bad(IllegalArgumentException.class, () -> x.seal(nonce, aad, 0, 8, out, 8, 32, out, 0), "overlap behind");
            bad(IllegalArgumentException.class, () -> x.open(nonce, aad, 0, 8, out, 0, 48, out, 1), "open overlap");
            usable(a, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void bufferForms(AeadAlgorithm a) throws Exception {
        try (Aead x = BACKEND.newAead(a, new byte[a.keyLength()])) {
            bad(NullPointerException.class, () -> x.seal(null, aad, bufIn, bufOut), "null nonce");
            bad(NullPointerException.class, () -> x.seal(nonce, aad, null, bufOut), "null in");
            bad(NullPointerException.class, () -> x.seal(nonce, aad, bufIn, null), "null out");
            bad(NullPointerException.class, () -> x.open(nonce, aad, sealedIn, null), "open null out");
            bad(IllegalArgumentException.class, () -> x.seal(new byte[11], aad, bufIn, bufOut), "nonce 11");
            bad(IllegalArgumentException.class, () -> x.open(new byte[13], aad, sealedIn, bufOut), "open nonce 13");
            bad(ReadOnlyBufferException.class, () -> x.seal(nonce, aad, bufIn, bufOut.asReadOnlyBuffer()), "read-only");
            bad(ReadOnlyBufferException.class,
                    () -> x.seal(nonce, aad, bufIn, ByteBuffer.allocate(96).asReadOnlyBuffer()), "read-only heap");
            bad(ReadOnlyBufferException.class, () -> x.open(nonce, aad, sealedIn, bufOut.asReadOnlyBuffer()), "open ro");
            // an authentic empty message writes nothing, yet a read-only output is still refused
            byte[] emptySealed = new byte[16];
            x.seal(nonce, aad, 0, 8, in, 0, 0, emptySealed, 0);
            ByteBuffer readOnlyEmpty = ByteBuffer.allocate(0).asReadOnlyBuffer();
            bad(ReadOnlyBufferException.class, () -> x.open(nonce, aad, ByteBuffer.wrap(emptySealed), readOnlyEmpty),
                    "open empty into read-only");
            bad(ReadOnlyBufferException.class, () -> x.openRecord(1, 2, 3, 4, 5,
                    ByteBuffer.wrap(emptySealed), ByteBuffer.allocateDirect(0).asReadOnlyBuffer()), "openRecord ro");
            bad(IllegalArgumentException.class, () -> x.seal(nonce, aad, bufIn, bufOut.duplicate().limit(79)), "out 79");
            bad(IllegalArgumentException.class,
                    () -> x.open(nonce, aad, sealedIn.duplicate().limit(15), bufOut), "open 15 bytes");
            bad(IllegalArgumentException.class, () -> x.open(nonce, aad, sealedIn, bufOut.duplicate().limit(63)), "open out 63");
            bad(IllegalArgumentException.class, () -> x.open(nonce, aad, bufOut, bufOut), "same buffer object");
            ByteBuffer heap = ByteBuffer.allocate(200);
            bad(IllegalArgumentException.class,
                    () -> x.seal(nonce, aad, heap.duplicate().position(10).limit(74), heap.duplicate().position(20)),
                    "heap overlap");

            bad(IllegalArgumentException.class, () -> x.sealRecord(0, 0, 0, 0, 17, bufIn, bufOut), "record aad 17");
            bad(IllegalArgumentException.class, () -> x.sealRecord(0, 0, 0, 0, -1, bufIn, bufOut), "record aad -1");
            bad(IllegalArgumentException.class, () -> x.openRecord(0, 0, 0, 0, 17, sealedIn, bufOut), "open aad 17");
            bad(NullPointerException.class, () -> x.sealRecord(0, 0, 0, 0, 5, null, bufOut), "record null in");
            bad(NullPointerException.class, () -> x.openRecord(0, 0, 0, 0, 5, sealedIn, null), "record null out");
            bad(ReadOnlyBufferException.class,
                    () -> x.sealRecord(0, 0, 0, 0, 5, bufIn, bufOut.asReadOnlyBuffer()), "record read-only");
            bad(IllegalArgumentException.class,
                    () -> x.sealRecord(0, 0, 0, 0, 5, bufIn, bufOut.duplicate().limit(79)), "record out 79");
            bad(IllegalArgumentException.class,
                    () -> x.openRecord(0, 0, 0, 0, 5, sealedIn.duplicate().limit(15), bufOut), "record open 15");
            usable(a, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void closedContextRefusesEverything(AeadAlgorithm a) {
        Aead x = BACKEND.newAead(a, new byte[a.keyLength()]);
        x.close();
        x.close(); // idempotent
        Class<IllegalStateException> ise = IllegalStateException.class;
        bad(ise, () -> x.seal(nonce, aad, 0, 8, in, 0, 64, out, 0), "seal");
        bad(ise, () -> x.open(nonce, aad, 0, 8, in, 0, 64, out, 0), "open");
        bad(ise, () -> x.seal(nonce, aad, bufIn, bufOut), "seal buffers");
        bad(ise, () -> x.open(nonce, aad, sealedIn, bufOut), "open buffers");
        bad(ise, () -> x.sealRecord(0, 0, 0, 0, 5, bufIn, bufOut), "sealRecord");
        bad(ise, () -> x.openRecord(0, 0, 0, 0, 5, sealedIn, bufOut), "openRecord");
        // even with bad arguments the state is reported first
        bad(ise, () -> x.seal(null, null, 0, 0, null, 0, 0, null, 0), "seal nulls");
        assertEquals(a, x.algorithm());
    }

    @Test
    void backendFactories() {
        byte[] key = new byte[40];
        bad(NullPointerException.class, () -> BACKEND.newAead(null, key, 0, 16), "null algorithm");
        bad(NullPointerException.class, () -> BACKEND.newAead(AeadAlgorithm.AES_128_GCM, null, 0, 16), "null key");
        bad(NullPointerException.class, () -> BACKEND.newAead(AeadAlgorithm.AES_128_GCM, null), "null key");
        bad(IndexOutOfBoundsException.class, () -> BACKEND.newAead(AeadAlgorithm.AES_128_GCM, key, -1, 16), "keyOff -1");
        bad(IndexOutOfBoundsException.class, () -> BACKEND.newAead(AeadAlgorithm.AES_256_GCM, key, 9, 32), "key past end");
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            for (int len : new int[] {0, 1, 15, 16, 24, 31, 32, 33}) {
                if (len != a.keyLength()) {
                    bad(IllegalArgumentException.class, () -> BACKEND.newAead(a, key, 0, len), a + " key " + len);
                }
            }
        }
        bad(NullPointerException.class, () -> BACKEND.newMac(null, key, 0, 16), "mac null algorithm");
        bad(NullPointerException.class, () -> BACKEND.newMac(MacAlgorithm.HMAC_SHA256, null, 0, 16), "mac null key");
        bad(IndexOutOfBoundsException.class, () -> BACKEND.newMac(MacAlgorithm.HMAC_SHA256, key, 30, 16), "mac key range");
        bad(NullPointerException.class, () -> BACKEND.implementation((AeadAlgorithm) null), "implementation(null)");
        bad(NullPointerException.class, () -> BACKEND.implementation((MacAlgorithm) null), "implementation(null)");
    }

    /** After all the refusals the context still seals and opens correctly. */
    private void usable(AeadAlgorithm a, Aead x) throws Exception {
        byte[] sealed = new byte[80];
        assertEquals(80, x.seal(nonce, null, 0, 0, in, 0, 64, sealed, 0));
        assertArrayEquals(AeadTestSupport.jdkSeal(a, new byte[a.keyLength()], nonce, new byte[0], in), sealed);
        byte[] back = new byte[64];
        assertEquals(64, x.open(nonce, null, ByteBuffer.wrap(sealed), ByteBuffer.wrap(back)));
        assertArrayEquals(in, back);
    }
}
