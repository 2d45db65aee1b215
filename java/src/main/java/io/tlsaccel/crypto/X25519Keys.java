package io.tlsaccel.crypto;

import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * X25519 keys as {@link java.security.Key} objects over raw bytes, for code that passes
 * keys around as {@link KeyPair}s (the handshake): no provider, no KeyFactory, no
 * encoding round trip. The public key encodes as an X.509 SubjectPublicKeyInfo (RFC 8410)
 * like every provider's, so code that takes the last 32 bytes of {@code getEncoded()} works
 * on it unchanged; the private key does not export itself.
 */
public final class X25519Keys {

    /** X.509 SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410 4). */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private X25519Keys() {
    }

    /** A fresh key pair on {@code x}; agreement later runs on the same implementation. */
    public static KeyPair generate(X25519 x, SecureRandom random) {
        byte[] priv = X25519.newPrivateKey(random);
        return new KeyPair(new Public(x.publicKey(priv)), new Private(x, priv));
    }

    /** A peer's 32-byte key as a key object (the bytes are copied). */
    public static PublicKey publicKey(byte[] u) {
        X25519.checkKey(u, "public key");
        return new Public(u.clone());
    }

    /** A private key this class made; holds the implementation it came from. */
    public static final class Private implements PrivateKey, Destroyable {
        private final transient X25519 x;
        private final transient byte[] key;
        private transient boolean destroyed;

        private Private(X25519 x, byte[] key) {
            this.x = x;
            this.key = key;
        }

        /**
         * X25519(this, peer) with {@code peer} the raw 32 bytes of the peer's key.
         *
         * @throws InvalidKeyException on an all-zero result (RFC 7748 6.1)
         */
        public byte[] agree(byte[] peer) throws InvalidKeyException {
            if (destroyed) {
                throw new IllegalStateException("X25519 private key destroyed");
            }
            return x.sharedSecret(key, peer);
        }

        @Override
        public String getAlgorithm() {
            return "X25519";
        }

        /** Not exportable. */
        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public void destroy() {
            Arrays.fill(key, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "X25519 private key (" + x.name() + ")";
        }
    }

    /** A public key: the u-coordinate as sent (RFC 7748 5). */
    public static final class Public implements PublicKey {
        private final byte[] u;

        private Public(byte[] u) {
            this.u = u;
        }

        /** The 32 bytes as on the wire. */
        public byte[] raw() {
            return u.clone();
        }

        @Override
        public String getAlgorithm() {
            return "X25519";
        }

        @Override
        public String getFormat() {
            return "X.509";
        }

        @Override
        public byte[] getEncoded() {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + X25519.KEY_LENGTH);
            System.arraycopy(u, 0, spki, SPKI_PREFIX.length, X25519.KEY_LENGTH);
            return spki;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Public p && Arrays.equals(u, p.u);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(u);
        }

        @Override
        public String toString() {
            return "X25519 public key";
        }
    }
}
