package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.X25519;
import java.security.InvalidKeyException;
import java.util.Objects;

/**
 * X25519 on Bouncy Castle's raw-array implementation ({@code org.bouncycastle.math.ec.rfc7748}),
 * which clamps the scalar and ignores bit 255 of the peer's key as RFC 7748 5 says; used
 * where the C layer cannot run. No key objects, no provider look-up.
 */
public final class BcX25519 implements X25519 {

    @Override
    public String name() {
        return "java/bc";
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        X25519.checkKey(Objects.requireNonNull(privateKey, "privateKey"), "private key");
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) throws InvalidKeyException {
        X25519.checkKey(Objects.requireNonNull(privateKey, "privateKey"), "private key");
        X25519.checkKey(Objects.requireNonNull(peerPublicKey, "peerPublicKey"), "public key");
        byte[] shared = new byte[KEY_LENGTH];
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, shared, 0)) {
            throw X25519.zeroSharedSecret();
        }
        return shared;
    }

    @Override
    public String toString() {
        return "X25519 " + name();
    }
}
