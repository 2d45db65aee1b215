package io.tlsaccel.crypto.jni;

/** The JNI entry points of {@code native/jni/jni_mac.c}; results as in {@link AeadJni}. */
final class MacJni {

    private MacJni() {
    }

    static native long create(int alg, int impl, byte[] key, int keyOff, int keyLen);

    static native void free(long ctx);

    static native int update(long ctx, Object in, boolean direct, int off, int len);

    static native int doFinal(long ctx, byte[] out, int off);

    static native void reset(long ctx);
}
