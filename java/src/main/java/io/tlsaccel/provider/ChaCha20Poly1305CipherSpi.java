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
import javax.crypto.spec.IvParameterSpec;

/**
 * {@code ChaCha20-Poly1305} (RFC 8439) over the engine, with SunJCE's observable behaviour
 * (see {@link AeadCipherSpi} for buffering): a 32-byte key in RAW encoding (any key
 * algorithm name, as SunJCE), an {@link IvParameterSpec} of 12 bytes, a random nonce when
 * encryption is initialised without one, and no key wrapping.
 *
 * <p>Nonce reuse, as SunJCE on later JDKs (checked on 25): after {@code doFinal} in encryption
 * further use throws {@link IllegalStateException} until re-initialised, and initialising
 * for encryption with the key and nonce of the previous initialisation (of either mode)
 * throws {@link InvalidKeyException}. (SunJCE on JDK 17 also refused a repeated key and nonce
 * for decryption, which made retrying a decryption impossible; that was relaxed in later
 * releases and is not copied here.) Unlike SunJCE on JDK 17, a {@code ShortBufferException}
 * keeps the state, so the caller can retry with a larger buffer.
 */
public final class ChaCha20Poly1305CipherSpi extends AeadCipherSpi {

    /** ChaCha20-Poly1305 on the runtime's selected backend. */
    public ChaCha20Poly1305CipherSpi() {
        this(Backends.selected());
    }

    ChaCha20Poly1305CipherSpi(Backend backend) {
        super(backend);
    }

    @Override
    String algorithmName() {
        return "ChaCha20-Poly1305";
    }

    @Override
    protected int engineGetBlockSize() {
        return 0;
    }

    @Override
    protected void engineSetMode(String mode) throws java.security.NoSuchAlgorithmException {
        if (!"None".equalsIgnoreCase(mode)) {
            throw new java.security.NoSuchAlgorithmException("Mode must be None");
        }
    }

    @Override
    AeadAlgorithm checkKey(Key key, byte[] encoded) throws InvalidKeyException {
        if (!"RAW".equalsIgnoreCase(key.getFormat())) {
            throw new InvalidKeyException("Key encoding format must be RAW");
        }
        if (encoded.length != 32) {
            throw new InvalidKeyException("Key length must be 256 bits");
        }
        return AeadAlgorithm.CHACHA20_POLY1305;
    }

    @Override
    byte[] nonceFrom(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
        if (!(spec instanceof IvParameterSpec)) {
            throw new InvalidAlgorithmParameterException("ChaCha20-Poly1305 requires IvParameterSpec");
        }
        byte[] iv = ((IvParameterSpec) spec).getIV(); // a copy
        if (iv.length != NONCE_LEN) {
            throw new InvalidAlgorithmParameterException("ChaCha20-Poly1305 nonce must be 12 bytes in length");
        }
        return iv;
    }

    @Override
    AlgorithmParameterSpec specFrom(AlgorithmParameters params) throws InvalidAlgorithmParameterException {
        try {
            return params.getParameterSpec(IvParameterSpec.class);
        } catch (InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException(e);
        }
    }

    @Override
    void rejectMissingParameters() throws InvalidKeyException {
        throw new InvalidKeyException("Default parameter generation disallowed in DECRYPT and UNWRAP modes");
    }

    @Override
    void checkReuse(boolean encrypt, byte[] key, byte[] nonce) throws InvalidKeyException {
        byte[] lastKey = currentKey();
        byte[] lastNonce = currentNonce();
        if (encrypt && lastKey != null && lastNonce != null
                && MessageDigest.isEqual(key, lastKey) && MessageDigest.isEqual(nonce, lastNonce)) {
            throw new InvalidKeyException("Matching key and nonce from previous initialization");
        }
    }

    @Override
    void recordInit(boolean encrypt, byte[] key, byte[] nonce) {
        // The current key and nonce are what checkReuse compares with.
    }

    @Override
    String reinitMessage() {
        return "Must use either a different key or iv.";
    }

    @Override
    String aadAfterDataMessage() {
        return "Attempted to update AAD on Cipher after plaintext/ciphertext update";
    }

    @Override
    AlgorithmParameters parameters(byte[] nonce) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("ChaCha20-Poly1305");
            p.init(new IvParameterSpec(nonce));
            return p;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    boolean wrapSupported() {
        return false;
    }
}
