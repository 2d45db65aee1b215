package io.tlsaccel.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A key we can wipe: the JDK's SecretKeySpec keeps a copy it never clears, rejects empty keys
 * (which HMAC allows) and throws when asked to destroy itself. This one holds the caller's
 * array without copying it; the provider copies what getEncoded returns and clears that copy.
 */
public final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final byte[] key;
    private boolean destroyed;

    /** {@code key} is used in place, not copied: the caller keeps it alive and wipes it. */
    public RawKey(String algorithm, byte[] key) {
        this.algorithm = algorithm;
        this.key = key;
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        return key.clone();
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
}
