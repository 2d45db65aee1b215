package io.tlsaccel.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.testutil.AeadPaths;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments become Java exceptions on every path, before memory is touched; the JVM
 * (which runs this test) stays alive, and the context still works afterwards.
 */
class AeadArgumentsTest {

    static Stream<AeadPaths.Path> paths() {
        return AeadPaths.everything();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void badArgumentsThrowAndLeaveTheContextUsable(AeadPaths.Path path) throws Exception {
        byte[] key = new byte[path.algorithm().keyLength()];
        byte[] nonce = new byte[12];
        byte[] in = new byte[64];
        byte[] out = new byte[80];
        Aead aead = path.newAead(key);

        assertThrows(NullPointerException.class, () -> aead.seal(null, null, 0, 0, in, 0, 64, out, 0));
        assertThrows(IllegalArgumentException.class, () -> aead.seal(new byte[11], null, 0, 0, in, 0, 64, out, 0));
        assertThrows(NullPointerException.class, () -> aead.seal(nonce, null, 0, 5, in, 0, 64, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.seal(nonce, new byte[4], 2, 5, in, 0, 64, out, 0));
        assertThrows(NullPointerException.class, () -> aead.seal(nonce, null, 0, 0, null, 0, 64, out, 0));
        assertThrows(NullPointerException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, 64, null, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.seal(nonce, null, 0, 0, in, -1, 64, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.seal(nonce, null, 0, 0, in, 1, 64, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, -1, out, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> aead.seal(nonce, null, 0, 0, in, Integer.MAX_VALUE, 64, out, 0));
        assertThrows(IllegalArgumentException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, 64, out, 1));
        assertThrows(RuntimeException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, 64, out, -1));
        assertThrows(IllegalArgumentException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, 64, new byte[79], 0));
        assertThrows(IllegalArgumentException.class, () -> aead.open(nonce, null, 0, 0, in, 0, 15, out, 0));
        assertThrows(IllegalArgumentException.class, () -> aead.open(nonce, null, 0, 0, in, 0, 64, new byte[47], 0));
        assertThrows(IllegalArgumentException.class, // overlapping, not in place
                () -> aead.seal(nonce, null, 0, 0, out, 0, 32, out, 8));
        ByteBuffer src = ByteBuffer.allocateDirect(64);
        assertThrows(IllegalArgumentException.class, () -> aead.seal(nonce, null, src, ByteBuffer.allocateDirect(79)));
        assertThrows(ReadOnlyBufferException.class,
                () -> aead.seal(nonce, null, src, ByteBuffer.allocate(80).asReadOnlyBuffer()));
        assertThrows(IllegalArgumentException.class,
                () -> aead.sealRecord(0, 0, 0, 0, 17, src, ByteBuffer.allocateDirect(80)));
        assertThrows(IllegalArgumentException.class,
                () -> aead.sealRecord(0, 0, 0, 0, -1, src, ByteBuffer.allocateDirect(80)));

        // still works, and agrees with itself
        byte[] sealed = new byte[80];
        aead.seal(nonce, null, 0, 0, in, 0, 64, sealed, 0);
        byte[] back = new byte[64];
        aead.open(nonce, null, 0, 0, sealed, 0, 80, back, 0);
        assertArrayEquals(in, back);
        // a read-only heap input is fine (its array is hidden, it is read through a copy)
        ByteBuffer ro = ByteBuffer.wrap(in).asReadOnlyBuffer();
        ByteBuffer dst = ByteBuffer.allocate(80);
        aead.seal(nonce, null, ro, dst);
        assertArrayEquals(sealed, dst.array());

        aead.close();
        aead.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> aead.seal(nonce, null, 0, 0, in, 0, 64, out, 0));
        assertThrows(IllegalStateException.class, () -> aead.open(nonce, null, 0, 0, sealed, 0, 80, back, 0));
        assertThrows(IllegalStateException.class,
                () -> aead.sealRecord(0, 0, 0, 0, 5, ByteBuffer.allocateDirect(4), ByteBuffer.allocateDirect(20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void wrongKeySizesAreRefused(AeadPaths.Path path) {
        int good = path.algorithm().keyLength();
        for (int bad : new int[] {0, 15, 24, good - 1, good + 1, 64}) {
            if (bad != good) {
                assertThrows(IllegalArgumentException.class, () -> path.newAead(new byte[bad]), "key of " + bad);
            }
        }
        assertThrows(NullPointerException.class, () -> path.newAead(null));
    }

    @Test
    void backendsRefuseUnknownNames() {
        assertThrows(IllegalArgumentException.class, () -> Backends.get("quantum"));
    }
}
