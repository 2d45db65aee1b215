package io.tlsaccel.crypto;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The argument checks every {@link Aead} makes before touching memory, in one place so
 * every backend throws the same exception for the same mistake.
 */
public final class AeadChecks {

    private AeadChecks() {
    }

    public static void nonce(byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length != AeadAlgorithm.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 12 bytes, not " + nonce.length);
        }
    }

    public static void aad(byte[] aad, int aadOff, int aadLen) {
        if (aad == null) {
            if (aadLen != 0 || aadOff != 0) {
                throw new NullPointerException("aad");
            }
            return;
        }
        Objects.checkFromIndexSize(aadOff, aadLen, aad.length);
    }

    public static void recordAad(int aadLen) {
        if (aadLen < 0 || aadLen > 16) {
            throw new IllegalArgumentException("record AAD is 0 to 16 bytes, not " + aadLen);
        }
    }

    /** Checks a seal or open on arrays; returns the number of bytes it writes. */
    public static int arrays(boolean seal, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        int outLen = outputLength(seal, inLen);
        Objects.checkIndex(outOff, out.length + 1);
        if (out.length - outOff < outLen) {
            throw new IllegalArgumentException("output needs " + outLen + " bytes, has " + (out.length - outOff));
        }
        if (in == out && inOff != outOff && inOff < outOff + outLen && outOff < inOff + inLen) {
            throw new IllegalArgumentException("input and output overlap but are not in place");
        }
        return outLen;
    }

    /** Checks a seal or open on buffers; returns the number of bytes it writes. */
    public static int buffers(boolean seal, ByteBuffer in, ByteBuffer out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int outLen = outputLength(seal, in.remaining());
        if (out.remaining() < outLen) {
            throw new IllegalArgumentException("output needs " + outLen + " bytes, has " + out.remaining());
        }
        return outLen;
    }

    /**
     * Checks a seal of {@code in}'s remaining bytes and one trailer byte into {@code out};
     * returns the number of bytes it writes.
     */
    public static int buffersWithTrailer(ByteBuffer in, int trailer, ByteBuffer out) {
        if ((trailer & ~0xff) != 0) {
            throw new IllegalArgumentException("trailer byte " + trailer);
        }
        return buffersSealedFrom(in, 1, out);
    }

    /**
     * Checks a seal of {@code in}'s remaining bytes and {@code extra} more into {@code out},
     * the two buffers overlapping in any way; returns the number of bytes it writes.
     */
    public static int buffersSealedFrom(ByteBuffer in, int extra, ByteBuffer out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int outLen = outputLength(true, in.remaining() + extra);
        if (out.remaining() < outLen) {
            throw new IllegalArgumentException("output needs " + outLen + " bytes, has " + out.remaining());
        }
        return outLen;
    }

    public static int outputLength(boolean seal, int inLen) {
        if (seal) {
            if (inLen > Integer.MAX_VALUE - AeadAlgorithm.TAG_LENGTH) {
                throw new IllegalArgumentException("input too long");
            }
            return inLen + AeadAlgorithm.TAG_LENGTH;
        }
        if (inLen < AeadAlgorithm.TAG_LENGTH) {
            throw new IllegalArgumentException("input shorter than the 16-byte tag");
        }
        return inLen - AeadAlgorithm.TAG_LENGTH;
    }

    public static void key(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        if (keyLen != algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm.displayName() + " needs a " + algorithm.keyLength()
                    + "-byte key, not " + keyLen);
        }
    }
}
