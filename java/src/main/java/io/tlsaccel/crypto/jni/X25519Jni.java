package io.tlsaccel.crypto.jni;

/**
 * The JNI entry points of {@code native/jni/jni_x25519.c}: one call per operation on
 * 32-byte arrays (any other length, or null, is {@link NativeResults#ERR_ARG}). Results
 * as in {@link AeadJni}, plus {@link #ERR_ZERO_SECRET}.
 */
final class X25519Jni {

    /** TA_ERR_ZERO_SECRET: the shared secret is all zeros. */
    static final int ERR_ZERO_SECRET = -6;

    private X25519Jni() {
    }

    /** pub = X25519(priv, 9) on implementation impl (-1: the best). */
    static native int publicKey(int impl, byte[] priv, byte[] pub);

    /** shared = X25519(priv, peer); {@link #ERR_ZERO_SECRET} when all zeros. */
    static native int sharedSecret(int impl, byte[] priv, byte[] peer, byte[] shared);
}
