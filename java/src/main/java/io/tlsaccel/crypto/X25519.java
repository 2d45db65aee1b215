package io.tlsaccel.crypto;

import java.security.InvalidKeyException;
import java.security.SecureRandom;

/**
 * X25519 (RFC 7748 5) on raw 32-byte little-endian strings: private keys, public keys
 * (u-coordinates) and shared secrets. Private keys are clamped by the implementation (any
 * 32 random bytes are a private key); bit 255 of a peer's key is ignored. Implementations:
 * the C layer's ({@code native/mulx}, {@code native/portable}), constant time by
 * construction, and Bouncy Castle's ({@code java/bc}). {@link Backends#selected()} picks
 * one through {@link Backend#x25519()}.
 *
 * <p>Wrong lengths and nulls are {@link IllegalArgumentException}s (or
 * {@link NullPointerException}s); nothing about a key appears in a message.
 */
public interface X25519 {

    /** Bytes of a private key, a public key and a shared secret. */
    int KEY_LENGTH = 32;

    /** Which implementation, e.g. {@code native/mulx} or {@code java/bc}. */
    String name();

    /** X25519(privateKey, 9): the public key that goes to the peer. */
    byte[] publicKey(byte[] privateKey);

    /**
     * X25519(privateKey, peerPublicKey).
     *
     * @throws InvalidKeyException when the result is all zeros (a low-order peer key), which
     *                             RFC 7748 6.1 and RFC 8446 7.4.2 make the caller refuse
     */
    byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) throws InvalidKeyException;

    /** 32 fresh random bytes: a private key (clamping happens where it is used). */
    static byte[] newPrivateKey(SecureRandom random) {
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /** The exception {@link #sharedSecret} throws for an all-zero result. */
    static InvalidKeyException zeroSharedSecret() {
        return new InvalidKeyException("X25519 shared secret is all zeros (low-order public key)");
    }

    /** Argument check shared by the implementations. */
    static void checkKey(byte[] key, String what) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + KEY_LENGTH + " bytes, not " + key.length);
        }
    }
}
