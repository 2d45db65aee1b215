package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The {@link Aead} contract over javax.crypto.Cipher: the fallback when no backend is present. */
final class JceAead implements Aead {

    static final Backend BACKEND = new Backend() {
        @Override
        public String name() {
            return "jce";
        }

        @Override
        public Aead newAead(AeadAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
            return new JceAead(algorithm, Arrays.copyOfRange(key, keyOff, keyOff + keyLen));
        }

        @Override
        public Mac newMac(MacAlgorithm algorithm, byte[] key, int keyOff, int keyLen) {
            throw new UnsupportedOperationException("MAC not provided by the JCE adapter");
        }

        @Override
        public String implementation(AeadAlgorithm algorithm) {
            return "jce/" + algorithm.displayName();
        }

        @Override
        public String implementation(MacAlgorithm algorithm) {
            return "jce/" + algorithm.jcaName();
        }
    };

    private final AeadAlgorithm alg;
    private final SecretKeySpec key;
    private final byte[] keyBytes;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[16];
    private boolean closed;

    JceAead(AeadAlgorithm alg, byte[] key) {
        if (key.length != alg.keyLength()) {
            throw new IllegalArgumentException("bad key length");
        }
        this.alg = alg;
        this.keyBytes = key;
        boolean chacha = alg == AeadAlgorithm.CHACHA20_POLY1305;
        this.key = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
        try {
            this.cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AeadAlgorithm algorithm() {
        return alg;
    }

    @Override
    public String implementation() {
        return "jce/" + alg.displayName();
    }

    private void init(int mode, byte[] n) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        try {
            if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
                cipher.init(mode, key, new IvParameterSpec(n));
            } else {
                cipher.init(mode, key, new GCMParameterSpec(128, n));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int seal(byte[] n, byte[] a, int aadOff, int aadLen, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        init(Cipher.ENCRYPT_MODE, n);
        try {
            cipher.updateAAD(a, aadOff, aadLen);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int open(byte[] n, byte[] a, int aadOff, int aadLen, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AEADBadTagException {
        init(Cipher.DECRYPT_MODE, n);
        try {
            cipher.updateAAD(a, aadOff, aadLen);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int seal(byte[] n, byte[] a, ByteBuffer in, ByteBuffer out) {
        init(Cipher.ENCRYPT_MODE, n);
        try {
            cipher.updateAAD(a);
            return cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int open(byte[] n, byte[] a, ByteBuffer in, ByteBuffer out) throws AEADBadTagException {
        init(Cipher.DECRYPT_MODE, n);
        try {
            cipher.updateAAD(a);
            return cipher.doFinal(in, out);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fill(int nonceHigh, long nonceLow, long aadHigh, long aadLow) {
        putInt(nonce, 0, nonceHigh);
        putLong(nonce, 4, nonceLow);
        putLong(aad, 0, aadHigh);
        putLong(aad, 8, aadLow);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    @Override
    public int sealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen, ByteBuffer in, ByteBuffer out) {
        fill(nonceHigh, nonceLow, aadHigh, aadLow);
        init(Cipher.ENCRYPT_MODE, nonce);
        try {
            cipher.updateAAD(aad, 0, aadLen);
            return cipher.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int openRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen, ByteBuffer in, ByteBuffer out)
            throws AEADBadTagException {
        fill(nonceHigh, nonceLow, aadHigh, aadLow);
        init(Cipher.DECRYPT_MODE, nonce);
        int outStart = out.position();
        try {
            cipher.updateAAD(aad, 0, aadLen);
            return cipher.doFinal(in, out);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            out.position(outStart);
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(keyBytes, (byte) 0);
    }
}
