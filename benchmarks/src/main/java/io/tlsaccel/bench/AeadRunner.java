package io.tlsaccel.bench;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.nativelib.TaNative;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * One way of sealing and opening whole messages with one key: a 12-byte nonce, an AAD and
 * a plaintext of {@code len} bytes in, ciphertext and 16-byte tag out (into a caller's array).
 * Every path of the benchmarks is one of these, so each benchmark method calls the same shape.
 */
interface AeadRunner extends AutoCloseable {

    int TAG = AeadAlgorithm.TAG_LENGTH;

    /** Seals {@code in[0..len)} into {@code out}; returns the bytes written (len + 16). */
    int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception;

    /** Opens {@code in[0..len)} (ciphertext and tag) into {@code out}; returns len - 16. */
    int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception;

    @Override
    default void close() {
    }

    /** Our engine's {@link Aead} (native JNI or the Java fallback), byte[] form. */
    static AeadRunner of(Aead aead) {
        return new AeadRunner() {
            @Override
            public int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) {
                return aead.seal(nonce, aad, 0, aad.length, in, 0, len, out, 0);
            }

            @Override
            public int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception {
                return aead.open(nonce, aad, 0, aad.length, in, 0, len, out, 0);
            }

            @Override
            public void close() {
                aead.close();
            }
        };
    }

    /** The C layer through JNA's direct mapping ({@link TaNative}), best implementation. */
    static AeadRunner jna(AeadAlgorithm alg, byte[] key) {
        PointerByReference ref = new PointerByReference();
        int rc = TaNative.ta_aead_new(ref, alg.nativeId(), -1, key, key.length);
        if (rc < 0) {
            throw new IllegalStateException("ta_aead_new failed: " + rc);
        }
        Pointer ctx = ref.getValue();
        return new AeadRunner() {
            @Override
            public int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) {
                int r = TaNative.ta_aead_seal(ctx, nonce, aad, aad.length, in, len, out);
                if (r < 0) {
                    throw new IllegalStateException("ta_aead_seal failed: " + r);
                }
                return len + TAG;
            }

            @Override
            public int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) {
                int r = TaNative.ta_aead_open(ctx, nonce, aad, aad.length, in, len, out);
                if (r < 0) {
                    throw new IllegalStateException("ta_aead_open failed: " + r);
                }
                return len - TAG;
            }

            @Override
            public void close() {
                TaNative.ta_aead_free(ctx);
            }
        };
    }

    /** A JCA provider's Cipher: init + updateAAD + doFinal into the caller's array, per op. */
    static AeadRunner jca(AeadAlgorithm alg, byte[] key, Provider provider) throws Exception {
        boolean chacha = alg == AeadAlgorithm.CHACHA20_POLY1305;
        Cipher c = null;
        Exception last = null;
        String[] names = chacha ? new String[] {"ChaCha20-Poly1305", "ChaCha20/Poly1305/NoPadding"}
                : new String[] {"AES/GCM/NoPadding"};
        for (String name : names) {
            try {
                c = Cipher.getInstance(name, provider);
                break;
            } catch (Exception e) {
                last = e;
            }
        }
        if (c == null) {
            throw new Fixtures.Unavailable(provider.getName() + " has no " + alg.displayName() + ": " + last);
        }
        Cipher cipher = c;
        SecretKeySpec k = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
        return new AeadRunner() {
            private AlgorithmParameterSpec spec(byte[] nonce) {
                return chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
            }

            @Override
            public int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception {
                cipher.init(Cipher.ENCRYPT_MODE, k, spec(nonce));
                cipher.updateAAD(aad);
                return cipher.doFinal(in, 0, len, out, 0);
            }

            @Override
            public int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception {
                cipher.init(Cipher.DECRYPT_MODE, k, spec(nonce));
                cipher.updateAAD(aad);
                return cipher.doFinal(in, 0, len, out, 0);
            }
        };
    }

    /**
     * Bouncy Castle's lightweight API: GCMBlockCipher over AESEngine, or ChaCha20Poly1305.
     * The key schedule is made once; each op re-inits with only the new nonce (null key).
     */
    static AeadRunner bouncyCastle(AeadAlgorithm alg, byte[] key) {
        AEADCipher cipher = alg == AeadAlgorithm.CHACHA20_POLY1305
                ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        KeyParameter k = new KeyParameter(key);
        byte[] first = new byte[AeadAlgorithm.NONCE_LENGTH];
        first[0] = (byte) 0xEE; // never one the benchmarks use
        cipher.init(true, new ParametersWithIV(k, first));
        return new AeadRunner() {
            @Override
            public int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception {
                cipher.init(true, new ParametersWithIV(null, nonce));
                cipher.processAADBytes(aad, 0, aad.length);
                int n = cipher.processBytes(in, 0, len, out, 0);
                return n + cipher.doFinal(out, n);
            }

            @Override
            public int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Exception {
                cipher.init(false, new ParametersWithIV(null, nonce));
                cipher.processAADBytes(aad, 0, aad.length);
                int n = cipher.processBytes(in, 0, len, out, 0);
                return n + cipher.doFinal(out, n);
            }
        };
    }
}
