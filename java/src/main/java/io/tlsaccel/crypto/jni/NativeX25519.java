package io.tlsaccel.crypto.jni;

import io.tlsaccel.crypto.X25519;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;

/** X25519 in the C layer, on one implementation (or the C dispatcher's best, index -1). */
final class NativeX25519 implements X25519 {

    private final int impl;
    private final String name;

    NativeX25519(int impl, String name) {
        this.impl = impl;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        X25519.checkKey(Objects.requireNonNull(privateKey, "privateKey"), "private key");
        byte[] pub = new byte[KEY_LENGTH];
        NativeResults.check(X25519Jni.publicKey(impl, privateKey, pub));
        return pub;
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) throws InvalidKeyException {
        X25519.checkKey(Objects.requireNonNull(privateKey, "privateKey"), "private key");
        X25519.checkKey(Objects.requireNonNull(peerPublicKey, "peerPublicKey"), "public key");
        byte[] shared = new byte[KEY_LENGTH];
        int rc = X25519Jni.sharedSecret(impl, privateKey, peerPublicKey, shared);
        if (rc == X25519Jni.ERR_ZERO_SECRET) {
            Arrays.fill(shared, (byte) 0);
            throw X25519.zeroSharedSecret();
        }
        NativeResults.check(rc);
        return shared;
    }

    @Override
    public String toString() {
        return "X25519 " + name;
    }
}
