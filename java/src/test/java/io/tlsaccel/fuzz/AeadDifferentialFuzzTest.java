package io.tlsaccel.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.testutil.AeadPaths;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;

/**
 * Differential AEAD fuzzing: every implementation this machine has (each native kernel, our
 * Java tables, the JDK's) must seal the same key, nonce, AAD and text to the same bytes,
 * through the array form and the direct-buffer form, open it back, and refuse it after any
 * one-bit change of ciphertext, tag or AAD.
 */
class AeadDifferentialFuzzTest {

    private static final List<List<AeadPaths.Path>> PATHS = List.of(
            AeadPaths.all(AeadAlgorithm.AES_128_GCM).collect(Collectors.toList()),
            AeadPaths.all(AeadAlgorithm.AES_256_GCM).collect(Collectors.toList()),
            AeadPaths.all(AeadAlgorithm.CHACHA20_POLY1305).collect(Collectors.toList()));

    @FuzzTest(maxDuration = "60s")
    void everyImplementationAgrees(FuzzedDataProvider data) throws Exception {
        List<AeadPaths.Path> paths = PATHS.get(data.consumeInt(0, PATHS.size() - 1));
        AeadAlgorithm alg = paths.get(0).algorithm();
        byte[] key = data.consumeBytes(alg.keyLength());
        byte[] nonce = data.consumeBytes(12);
        if (key.length != alg.keyLength() || nonce.length != 12) {
            return;
        }
        byte[] aad = data.consumeBytes(data.consumeInt(0, 80));
        int flip = data.consumeInt(0, Integer.MAX_VALUE);
        byte[] text = data.consumeRemainingAsBytes();

        byte[] expected = null;
        for (AeadPaths.Path path : paths) {
            try (Aead aead = path.newAead(key)) {
                byte[] sealed = new byte[text.length + 16];
                assertEquals(sealed.length, aead.seal(nonce, aad, 0, aad.length, text, 0, text.length, sealed, 0));
                if (expected == null) {
                    expected = sealed;
                } else {
                    assertArrayEquals(expected, sealed, path.toString());
                }
                ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
                ByteBuffer out = ByteBuffer.allocateDirect(text.length);
                aead.open(nonce, aad, in, out);
                byte[] opened = new byte[text.length];
                out.flip().get(opened);
                assertArrayEquals(text, opened, path.toString());

                int bit = flip % ((sealed.length + aad.length) * 8);
                byte[] badSealed = sealed.clone();
                byte[] badAad = aad.clone();
                if (bit / 8 < sealed.length) {
                    badSealed[bit / 8] ^= (byte) (1 << (bit % 8));
                } else {
                    badAad[bit / 8 - sealed.length] ^= (byte) (1 << (bit % 8));
                }
                assertThrows(AEADBadTagException.class, () -> aead.open(nonce, badAad, 0, badAad.length,
                        badSealed, 0, badSealed.length, new byte[text.length], 0), path.toString());
            }
        }
    }
}
