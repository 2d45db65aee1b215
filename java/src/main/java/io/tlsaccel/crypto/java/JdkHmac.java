package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.crypto.RawKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * HMAC (RFC 2104) through the JDK's {@link javax.crypto.Mac}, whose SHA-2 compression has
 * HotSpot intrinsics (SHA-NI / AVX2) that a pure-Java copy could not match.
 */
final class JdkHmac implements Mac {

    static final String IMPLEMENTATION = "java/jdk";

    private final MacAlgorithm algorithm;
    private final javax.crypto.Mac mac;
    private boolean closed;

    JdkHmac(MacAlgorithm algorithm, byte[] key, int off, int len) {
        this.algorithm = algorithm;
        RawKey k = new RawKey(algorithm.jcaName(), Arrays.copyOfRange(key, off, off + len));
        try {
            mac = jdkMac(algorithm.jcaName());
            mac.init(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jcaName() + " unavailable in this JDK", e);
        } finally {
            k.destroy();
        }
    }

    @Override
    public MacAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String implementation() {
        return IMPLEMENTATION;
    }

    @Override
    public void update(byte[] in, int off, int len) {
        ensureOpen();
        Objects.requireNonNull(in, "in");
        Objects.checkFromIndexSize(off, len, in.length);
        mac.update(in, off, len);
    }

    @Override
    public void update(ByteBuffer in) {
        ensureOpen();
        Objects.requireNonNull(in, "in");
        mac.update(in);
    }

    /**
     * The JDK's own HMAC, asked of SunJCE by name: asking "any provider" could return ours
     * (when the TlsAccel provider is ranked first) and recurse.
     */
    private static javax.crypto.Mac jdkMac(String name) throws GeneralSecurityException {
        try {
            return javax.crypto.Mac.getInstance(name, "SunJCE");
        } catch (java.security.NoSuchProviderException noSunJce) {
            return javax.crypto.Mac.getInstance(name);
        }
    }

    @Override
    public void doFinal(byte[] out, int off) {
        ensureOpen();
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(off, algorithm.macLength(), out.length);
        try {
            mac.doFinal(out, off);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked above; not reached
        }
    }

    @Override
    public void reset() {
        ensureOpen();
        mac.reset();
    }

    /**
     * The JDK keeps the padded key inside its Mac; re-keying with zeros overwrites that state,
     * which is the closest thing to zeroing it that the JCA offers.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            RawKey zero = new RawKey(algorithm.jcaName(), new byte[algorithm.blockLength()]);
            try {
                mac.init(zero);
            } catch (GeneralSecurityException e) {
                mac.reset(); // cannot happen for a raw HMAC key; still drop the message state
            } finally {
                zero.destroy();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("MAC context is closed");
        }
    }

    @Override
    public String toString() {
        return "JdkHmac[" + algorithm.jcaName() + ", " + IMPLEMENTATION + (closed ? ", closed]" : "]");
    }
}
