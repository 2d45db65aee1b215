package io.tlsaccel.crypto.jni;

/**
 * The JNI entry points of {@code native/jni/jni_aead.c}. Results are byte counts (>= 0)
 * or the C layer's TA_* codes (< 0); {@link NativeResults} turns codes into exceptions.
 * Every argument is checked again in C before memory is touched.
 */
final class AeadJni {

    private AeadJni() {
    }

    /** A new context (address > 0) or a TA_* code. */
    static native long create(int alg, int impl, byte[] key, int keyOff, int keyLen);

    static native void free(long ctx);

    /**
     * One seal or open with nonce and AAD as numbers (the record path). {@code in} and
     * {@code out} are each a byte[] or, when the matching flag is set, a direct ByteBuffer.
     */
    static native int record(long ctx, boolean seal, int nonceHigh, long nonceLow,
                             long aadHigh, long aadLow, int aadLen,
                             Object in, boolean inDirect, int inOff, int inLen,
                             Object out, boolean outDirect, int outOff);

    /**
     * A record sealed from where its content lies, {@code in} and {@code out} overlapping in any
     * way: {@code inLen} bytes of content, then the {@code trailer} byte (TLS 1.3: its content
     * type) unless it is {@link #NO_TRAILER}, into {@code inLen + 16} (+1) bytes of {@code out}.
     */
    static native int sealFrom(long ctx, int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                               Object in, boolean inDirect, int inOff, int inLen, int trailer,
                               Object out, boolean outDirect, int outOff);

    /** {@link #sealFrom}'s trailer when the plaintext is the content alone (TLS 1.2). */
    static final int NO_TRAILER = -1;

    /** The base address of a direct buffer, 0 for anything else. Fixed for the buffer's life. */
    static native long address(java.nio.ByteBuffer buffer);

    /**
     * The record path on direct memory: both regions as addresses (from {@link #address}
     * plus a checked position), so the call needs nothing from the VM.
     */
    static native int recordDirect(long ctx, boolean seal, int nonceHigh, long nonceLow,
                                   long aadHigh, long aadLow, int aadLen,
                                   long inAddress, int inLen, long outAddress, int outCapacity);

    /** One seal or open with nonce and AAD as arrays. */
    static native int general(long ctx, boolean seal, byte[] nonce, byte[] aad, int aadOff, int aadLen,
                              Object in, boolean inDirect, int inOff, int inLen,
                              Object out, boolean outDirect, int outOff);
}
