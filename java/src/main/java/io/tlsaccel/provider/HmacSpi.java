package io.tlsaccel.provider;

import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.nio.ByteBuffer;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.MacSpi;
import javax.crypto.SecretKey;

/**
 * HMAC-SHA256 / HMAC-SHA384 over the engine's {@link Mac}. Any key length is accepted,
 * including empty (keys longer than the hash block are hashed by the engine, per RFC 2104).
 * {@code reset} keeps the key. Not cloneable ({@link CloneNotSupportedException}).
 *
 * <p>The pure-Java backend computes HMAC with the JDK's own {@code javax.crypto.Mac}, found
 * by algorithm name. If this provider is installed ahead of SunJCE, that lookup would land
 * here again and recurse; an initialisation re-entered on the same thread therefore refuses
 * the key, which makes the JDK's provider selection move on to the next provider.
 */
public final class HmacSpi extends MacSpi {

    private static final ThreadLocal<Boolean> INITIALISING = new ThreadLocal<>();

    private final Backend backend;
    private final MacAlgorithm algorithm;
    private final byte[] oneByte = new byte[1];
    private Mac mac;

    HmacSpi(Backend backend, MacAlgorithm algorithm) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    @Override
    protected int engineGetMacLength() {
        return algorithm.macLength();
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("HMAC does not use parameters");
        }
        if (!(key instanceof SecretKey)) {
            throw new InvalidKeyException("Secret key expected");
        }
        if (INITIALISING.get() != null) {
            throw new InvalidKeyException("TlsAccel " + algorithm.jcaName()
                    + " re-entered during its own initialisation; another provider must serve this key");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException("Missing key data");
        }
        INITIALISING.set(Boolean.TRUE);
        try {
            Mac fresh = backend.newMac(algorithm, encoded, 0, encoded.length);
            if (mac != null) {
                mac.close();
            }
            mac = fresh;
        } finally {
            INITIALISING.remove();
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private Mac mac() {
        if (mac == null) {
            throw new IllegalStateException("MAC not initialized");
        }
        return mac;
    }

    @Override
    protected void engineUpdate(byte input) {
        oneByte[0] = input;
        mac().update(oneByte, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        mac().update(input, offset, len);
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        mac().update(input);
    }

    @Override
    protected byte[] engineDoFinal() {
        return mac().doFinal();
    }

    @Override
    protected void engineReset() {
        if (mac != null) {
            mac.reset();
        }
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        throw new CloneNotSupportedException("TlsAccel " + algorithm.jcaName() + " is not cloneable");
    }

    @Override
    public String toString() {
        return "HmacSpi[" + algorithm.jcaName() + ", "
                + (mac == null ? backend.name() + ", not initialized]" : mac.implementation() + "]");
    }
}
