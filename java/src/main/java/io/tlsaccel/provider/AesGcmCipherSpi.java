package io.tlsaccel.provider;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import io.tlsaccel.crypto.Backends;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import javax.crypto.spec.GCMParameterSpec;

/**
 * {@code AES/GCM/NoPadding} over the engine's AES-GCM, with SunJCE's observable behaviour
 * (see {@link AeadCipherSpi} for buffering), except for what the engine does not have:
 *
 * <ul>
 *   <li>Keys of 128 or 256 bits only; a 192-bit key is an {@link InvalidKeyException} (the
 *       engine has no AES-192, and TLS never uses it). The {@code AES_128/...} and
 *       {@code AES_256/...} services take only their own size, as SunJCE's.</li>
 *   <li>{@link GCMParameterSpec} with a 128-bit tag and a 96-bit IV only; anything else is an
 *       {@link InvalidAlgorithmParameterException}. The engine is built for TLS, which uses
 *       only 96-bit nonces (no GHASH-derived counter) and full 128-bit tags.</li>
 *   <li>Decryption initialised with a {@code null} parameter spec (or null
 *       AlgorithmParameters) is refused ({@link InvalidAlgorithmParameterException}); SunJCE
 *       makes up a random IV there, which cannot decrypt anything. Without any parameters
 *       ({@code init(DECRYPT_MODE, key)}) both throw {@link InvalidKeyException}.</li>
 *   <li>A ciphertext shorter than the tag is an {@link javax.crypto.AEADBadTagException}
 *       (as SunJCE on later JDKs, checked on 25; JDK 17 throws a ProviderException there).
 *       A failed tag check leaves zeros in the output region (as JDK 25; JDK 17 leaves it
 *       untouched): no plaintext is ever released.</li>
 * </ul>
 *
 * <p>Nonce reuse, as SunJCE: after {@code doFinal} in encryption every further
 * update/updateAAD/doFinal throws {@link IllegalStateException} until the cipher is
 * re-initialised; re-initialising for encryption with the key and IV of the last
 * encryption initialisation (whatever came between) throws
 * {@link InvalidAlgorithmParameterException}. Decryption may repeat a key and IV freely.
 */
public final class AesGcmCipherSpi extends AeadCipherSpi {

    private final int fixedKeyLength;

    // The key and IV of the last encryption initialisation, for SunJCE's reuse refusal.
    private byte[] lastEncKey;
    private byte[] lastEncIv;

    /** AES-GCM on the runtime's selected backend, any supported key size. */
    public AesGcmCipherSpi() {
        this(Backends.selected(), 0);
    }

    /** @param fixedKeyLength 16 or 32 to accept only that key length, 0 for both */
    AesGcmCipherSpi(Backend backend, int fixedKeyLength) {
        super(backend);
        this.fixedKeyLength = fixedKeyLength;
    }

    @Override
    String algorithmName() {
        return fixedKeyLength == 0 ? "AES/GCM/NoPadding" : "AES_" + fixedKeyLength * 8 + "/GCM/NoPadding";
    }

    @Override
    protected int engineGetBlockSize() {
        return 16;
    }

    @Override
    AeadAlgorithm checkKey(Key key, byte[] encoded) throws InvalidKeyException {
        String alg = key.getAlgorithm();
        if (!"AES".equalsIgnoreCase(alg) && !"Rijndael".equalsIgnoreCase(alg)) {
            throw new InvalidKeyException("Wrong algorithm: AES or Rijndael required");
        }
        int len = encoded.length;
        if (fixedKeyLength != 0 && len != fixedKeyLength) {
            throw new InvalidKeyException("The key must be " + fixedKeyLength + " bytes");
        }
        if (len != 16 && len != 32) {
            throw new InvalidKeyException("Invalid AES key length: " + len
                    + " bytes (this provider supports 16 and 32: no AES-192)");
        }
        return AeadAlgorithm.aesGcmForKeyLength(len);
    }

    @Override
    byte[] nonceFrom(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
        if (!(spec instanceof GCMParameterSpec)) {
            throw new InvalidAlgorithmParameterException("AlgorithmParameterSpec not of GCMParameterSpec");
        }
        GCMParameterSpec gcm = (GCMParameterSpec) spec;
        byte[] iv = gcm.getIV(); // a copy
        if (iv == null) {
            throw new InvalidAlgorithmParameterException("IV is null");
        }
        if (iv.length == 0) {
            throw new InvalidAlgorithmParameterException("IV is empty");
        }
        if (gcm.getTLen() != 128) {
            throw new InvalidAlgorithmParameterException("Unsupported TLen value " + gcm.getTLen()
                    + ": this provider supports 128-bit tags only");
        }
        if (iv.length != NONCE_LEN) {
            throw new InvalidAlgorithmParameterException("Unsupported IV length " + iv.length
                    + ": this provider supports 12-byte (96-bit) IVs only");
        }
        return iv;
    }

    @Override
    AlgorithmParameterSpec specFrom(AlgorithmParameters params) throws InvalidAlgorithmParameterException {
        try {
            return params.getParameterSpec(GCMParameterSpec.class);
        } catch (InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException(e);
        }
    }

    @Override
    void rejectMissingParameters() throws InvalidAlgorithmParameterException {
        throw new InvalidAlgorithmParameterException("No GCMParameterSpec specified");
    }

    @Override
    void checkReuse(boolean encrypt, byte[] key, byte[] nonce) throws InvalidAlgorithmParameterException {
        if (encrypt && lastEncKey != null
                && MessageDigest.isEqual(key, lastEncKey) && MessageDigest.isEqual(nonce, lastEncIv)) {
            throw new InvalidAlgorithmParameterException("Cannot reuse iv for GCM encryption");
        }
    }

    @Override
    void recordInit(boolean encrypt, byte[] key, byte[] nonce) {
        if (encrypt) {
            if (lastEncKey != null && lastEncKey.length == key.length) {
                System.arraycopy(key, 0, lastEncKey, 0, key.length); // no allocation per init
            } else {
                if (lastEncKey != null) {
                    Arrays.fill(lastEncKey, (byte) 0);
                }
                lastEncKey = key.clone();
            }
            lastEncIv = nonce; // a private copy that is never modified
        }
    }

    @Override
    void wipeReuseState() {
        if (lastEncKey != null) {
            Arrays.fill(lastEncKey, (byte) 0);
            lastEncKey = null;
        }
        lastEncIv = null;
    }

    @Override
    String reinitMessage() {
        return "Must use either different key or iv for GCM encryption";
    }

    @Override
    String aadAfterDataMessage() {
        return "Update has been called; no more AAD data";
    }

    @Override
    AlgorithmParameters parameters(byte[] nonce) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("GCM");
            p.init(new GCMParameterSpec(TAG_LEN * 8, nonce));
            return p;
        } catch (GeneralSecurityException e) {
            return null; // no provider of GCM parameters in this JDK
        }
    }

    @Override
    boolean wrapSupported() {
        return true;
    }
}
