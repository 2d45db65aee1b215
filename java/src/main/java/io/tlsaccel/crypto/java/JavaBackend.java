package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.util.Objects;

/**
 * The pure-Java backend: runs on any JVM, no native code.
 *
 * <ul>
 *   <li>AES-GCM: {@code java/tables}, T-table AES with 8-bit-table GHASH. Meant for JVMs
 *       without AES intrinsics; where they exist the JDK's own AES/GCM is faster. Table lookups
 *       are not constant time.</li>
 *   <li>ChaCha20-Poly1305: {@code java/scalar}.</li>
 *   <li>HMAC: {@code java/jdk}, the JDK's javax.crypto.Mac.</li>
 * </ul>
 */
public final class JavaBackend implements Backend {

    public JavaBackend() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Aead newAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        if (keyLen != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm.displayName() + " key must be "
                    + algorithm.keyLength() + " bytes, not " + keyLen);
        }
        switch (algorithm) {
            case AES_128_GCM:
            case AES_256_GCM:
                return new AesGcm(algorithm, key, keyOff, keyLen);
            case CHACHA20_POLY1305:
                return new ChaCha20Poly1305(key, keyOff);
            default:
                throw new IllegalArgumentException("unsupported: " + algorithm);
        }
    }

    @Override
    public Mac newMac(MacAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        return new JdkHmac(algorithm, key, keyOff, keyLen);
    }

    @Override
    public String implementation(AeadAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return algorithm == AeadAlgorithm.CHACHA20_POLY1305
                ? ChaCha20Poly1305.IMPLEMENTATION : AesGcm.IMPLEMENTATION;
    }

    @Override
    public String implementation(MacAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return JdkHmac.IMPLEMENTATION;
    }

    @Override
    public String toString() {
        return "JavaBackend";
    }
}
