package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.AeadChecks;
import io.tlsaccel.crypto.RawKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The JDK's own AES-GCM or ChaCha20-Poly1305 (SunJCE, by name) behind our {@link Aead}:
 * the pure-Java backend's choice on JVMs whose JIT has intrinsics for them, where it is
 * many times faster than any table-driven Java. Not allocation-free: each call
 * initialises the Cipher with a fresh parameter object.
 */
final class JdkAead implements Aead {

    static final String IMPLEMENTATION = "java/jdk";

    private final AeadAlgorithm algorithm;
    private final Cipher cipher;
    private final RawKey key;
    private final byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    private final byte[] aad16 = new byte[16];
    private boolean closed;

    JdkAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
        AeadChecks.key(algorithm, key, keyOff, keyLen);
        this.algorithm = algorithm;
        boolean chacha = algorithm == AeadAlgorithm.CHACHA20_POLY1305;
        this.key = new RawKey(chacha ? "ChaCha20" : "AES", Arrays.copyOfRange(key, keyOff, keyOff + keyLen));
        try {
            this.cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.displayName() + " unavailable from SunJCE", e);
        }
    }

    @Override
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String implementation() {
        return IMPLEMENTATION;
    }

    private AlgorithmParameterSpec spec(byte[] n) {
        return algorithm == AeadAlgorithm.CHACHA20_POLY1305 ? new IvParameterSpec(n) : new GCMParameterSpec(128, n);
    }

    /**
     * Initialises for one message. SunJCE refuses to reuse the previous key and nonce (for
     * encryption, and on JDK 17 for ChaCha20-Poly1305 decryption too); our contract leaves
     * nonce discipline to the caller (the record layer never repeats one), so on a refusal
     * the cipher passes through a throwaway nonce and the real one is tried again.
     */
    private void start(boolean seal, byte[] n, byte[] aad, int aadOff, int aadLen) {
        if (closed) {
            throw new IllegalStateException("AEAD context is closed");
        }
        int mode = seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            try {
                cipher.init(mode, key, spec(n));
            } catch (InvalidKeyException | InvalidAlgorithmParameterException reuse) {
                byte[] other = n.clone();
                other[0] ^= 1;
                cipher.init(Cipher.ENCRYPT_MODE, key, spec(other));
                cipher.init(mode, key, spec(n));
            }
            if (aadLen > 0) {
                cipher.updateAAD(aad, aadOff, aadLen);
            }
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("SunJCE refused the key or nonce", e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        AeadChecks.nonce(nonce);
        AeadChecks.aad(aad, aadOff, aadLen);
        AeadChecks.arrays(true, in, inOff, inLen, out, outOff);
        start(true, nonce, aad, aadOff, aadLen);
        try {
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SunJCE seal failed", e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException {
        AeadChecks.nonce(nonce);
        AeadChecks.aad(aad, aadOff, aadLen);
        int n = AeadChecks.arrays(false, in, inOff, inLen, out, outOff);
        start(false, nonce, aad, aadOff, aadLen);
        try {
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, outOff, outOff + n, (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SunJCE open failed", e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) {
        AeadChecks.nonce(nonce);
        AeadChecks.buffers(true, in, out);
        start(true, nonce, aad, 0, aad == null ? 0 : aad.length);
        return buffers(in, out);
    }

    @Override
    public int open(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        AeadChecks.nonce(nonce);
        AeadChecks.buffers(false, in, out);
        start(false, nonce, aad, 0, aad == null ? 0 : aad.length);
        return openBuffers(in, out);
    }

    @Override
    public int sealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                          ByteBuffer in, ByteBuffer out) {
        AeadChecks.recordAad(aadLen);
        AeadChecks.buffers(true, in, out);
        fill(nonceHigh, nonceLow, aadHigh, aadLow);
        start(true, nonce, aad16, 0, aadLen);
        return buffers(in, out);
    }

    @Override
    public int openRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                          ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        AeadChecks.recordAad(aadLen);
        AeadChecks.buffers(false, in, out);
        fill(nonceHigh, nonceLow, aadHigh, aadLow);
        start(false, nonce, aad16, 0, aadLen);
        return openBuffers(in, out);
    }

    private void fill(int nonceHigh, long nonceLow, long aadHigh, long aadLow) {
        ByteBuffer.wrap(nonce).putInt(nonceHigh).putLong(nonceLow);
        ByteBuffer.wrap(aad16).putLong(aadHigh).putLong(aadLow);
    }

    private int buffers(ByteBuffer in, ByteBuffer out) {
        try {
            return cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SunJCE seal failed", e);
        }
    }

    /** On a bad tag: positions unchanged and the output region zeroed (SunJCE wrote nothing). */
    private int openBuffers(ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        int inPos = in.position();
        int outPos = out.position();
        int n = in.remaining() - AeadAlgorithm.TAG_LENGTH;
        try {
            return cipher.doFinal(in, out);
        } catch (AEADBadTagException e) {
            in.position(inPos);
            out.position(outPos);
            for (int i = 0; i < n; i++) {
                out.put(outPos + i, (byte) 0);
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SunJCE open failed", e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            key.destroy();
            Arrays.fill(nonce, (byte) 0);
            Arrays.fill(aad16, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "JdkAead[" + algorithm.displayName() + (closed ? ", closed]" : "]");
    }
}
