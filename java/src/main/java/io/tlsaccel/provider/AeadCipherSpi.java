package io.tlsaccel.provider;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Backend;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * What AES-GCM and ChaCha20-Poly1305 share as JCA ciphers over one-shot {@link Aead} contexts.
 *
 * <h2>Buffering</h2>
 * {@link Aead} seals and opens whole messages only, so every {@code update} here is buffered
 * and returns no output; {@code doFinal} runs the message in one call. For decryption this is
 * what an AEAD must do anyway (no plaintext before the tag is checked, the same as SunJCE).
 * For encryption SunJCE streams (AES-GCM returns whole blocks, ChaCha20 every byte); here the
 * ciphertext all comes out of {@code doFinal}, which the {@link Cipher} contract allows.
 * When nothing was buffered (the usual single {@code doFinal} call) the caller's arrays or
 * buffers go straight to the engine, including direct buffers, with no copy. A message is
 * limited to what one Java array can hold ({@value #MAX_MESSAGE} bytes).
 *
 * <h2>Nonce reuse</h2>
 * Like SunJCE, a cipher that finished an encryption refuses further use until re-initialised,
 * and re-initialising for encryption with the key and nonce of an earlier initialisation is
 * refused; the subclasses give the exact rule and exception of each SunJCE cipher.
 *
 * <h2>Secrets</h2>
 * The key bytes are kept (to recognise a re-used key and keep its engine context) and zeroed
 * with the context when another key replaces them; buffered plaintext is zeroed after each
 * message. No exception or {@code toString} contains key material.
 */
abstract class AeadCipherSpi extends CipherSpi {

    static final int NONCE_LEN = AeadAlgorithm.NONCE_LENGTH;
    static final int TAG_LEN = AeadAlgorithm.TAG_LENGTH;
    /** Largest message (plaintext, or ciphertext and tag) one operation takes. */
    static final int MAX_MESSAGE = Integer.MAX_VALUE - 64;

    private static final byte[] EMPTY = new byte[0];
    /** Buffers that grew beyond this are dropped after the message, not kept for the next. */
    private static final int KEEP_LIMIT = 1 << 20;

    private static volatile SecureRandom defaultRandom;

    private final Backend backend;

    // The key and its engine context, kept while the same key is re-used.
    private AeadAlgorithm aeadAlgorithm;
    private byte[] keyBytes;
    private Aead aead;

    // The current operation.
    private boolean initialized;
    private boolean encrypting;
    private boolean needsReinit;
    private boolean dataStarted;
    private byte[] nonce;
    private byte[] aadBuf = EMPTY;
    private int aadLen;
    private byte[] aadExact = EMPTY;
    private byte[] dataBuf = EMPTY;
    private int dataLen;
    private ByteBuffer dataView;

    AeadCipherSpi(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    // ---- what differs between the algorithms ----

    /** Validates the key; returns the engine algorithm for it. {@code encoded} is not kept. */
    abstract AeadAlgorithm checkKey(Key key, byte[] encoded) throws InvalidKeyException;

    /** Validates a parameter spec; returns (a copy of) the 12-byte nonce. */
    abstract byte[] nonceFrom(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException;

    /** The spec inside AlgorithmParameters. */
    abstract AlgorithmParameterSpec specFrom(AlgorithmParameters params) throws InvalidAlgorithmParameterException;

    /** Called for decryption without parameters (there is nothing to decrypt with). */
    abstract void rejectMissingParameters() throws InvalidKeyException, InvalidAlgorithmParameterException;

    /** Throws when this initialisation would repeat a key and nonce that SunJCE refuses. */
    abstract void checkReuse(boolean encrypt, byte[] key, byte[] nonce)
            throws InvalidKeyException, InvalidAlgorithmParameterException;

    /** Records a successful initialisation for {@link #checkReuse}. */
    abstract void recordInit(boolean encrypt, byte[] key, byte[] nonce);

    /** Message of the IllegalStateException after an encryption finished without re-init. */
    abstract String reinitMessage();

    /** Message of the IllegalStateException for AAD after data. */
    abstract String aadAfterDataMessage();

    /** AlgorithmParameters describing the nonce (and tag length). */
    abstract AlgorithmParameters parameters(byte[] nonce);

    abstract boolean wrapSupported();

    abstract String algorithmName();

    /** Clears what the subclass keeps for {@link #checkReuse}. */
    void wipeReuseState() {
    }

    // ---- initialisation ----

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        if (!isEncrypt(opmode)) {
            try {
                rejectMissingParameters();
            } catch (InvalidAlgorithmParameterException e) {
                throw new InvalidKeyException(e.getMessage(), e);
            }
        }
        try {
            init(opmode, key, null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        init(opmode, key, params, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        init(opmode, key, params == null ? null : specFrom(params), random);
    }

    private boolean isEncrypt(int opmode) {
        switch (opmode) {
            case Cipher.ENCRYPT_MODE:
                return true;
            case Cipher.DECRYPT_MODE:
                return false;
            case Cipher.WRAP_MODE:
            case Cipher.UNWRAP_MODE:
                if (!wrapSupported()) {
                    throw new UnsupportedOperationException("WRAP_MODE and UNWRAP_MODE are not currently supported");
                }
                return opmode == Cipher.WRAP_MODE;
            default:
                throw new java.security.InvalidParameterException("Invalid operation mode");
        }
    }

    private void init(int opmode, Key key, AlgorithmParameterSpec spec, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        boolean encrypt = isEncrypt(opmode);
        byte[] iv;
        if (spec == null) {
            if (!encrypt) {
                rejectMissingParameters();
            }
            iv = new byte[NONCE_LEN];
            (random != null ? random : defaultRandom()).nextBytes(iv);
        } else {
            iv = nonceFrom(spec);
        }
        if (key == null) {
            throw new InvalidKeyException("The key must not be null");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException("Key encoding must not be null");
        }
        AeadAlgorithm algorithm;
        try {
            algorithm = checkKey(key, encoded);
            checkReuse(encrypt, encoded, iv);
        } catch (InvalidKeyException | InvalidAlgorithmParameterException | RuntimeException e) {
            Arrays.fill(encoded, (byte) 0);
            throw e;
        }
        installKey(algorithm, encoded); // takes ownership of encoded
        recordInit(encrypt, keyBytes, iv);
        nonce = iv;
        encrypting = encrypt;
        needsReinit = false;
        initialized = true;
        clearMessage();
    }

    /** Keeps the engine context when the key bytes are unchanged; otherwise replaces and wipes it. */
    private void installKey(AeadAlgorithm algorithm, byte[] encoded) {
        if (aead != null && algorithm == aeadAlgorithm && MessageDigest.isEqual(encoded, keyBytes)) {
            Arrays.fill(encoded, (byte) 0);
            return;
        }
        Aead fresh;
        try {
            fresh = backend.newAead(algorithm, encoded);
        } catch (RuntimeException e) {
            Arrays.fill(encoded, (byte) 0);
            throw e;
        }
        dropKey();
        aead = fresh;
        aeadAlgorithm = algorithm;
        keyBytes = encoded;
    }

    private void dropKey() {
        if (aead != null) {
            aead.close();
            aead = null;
        }
        if (keyBytes != null) {
            Arrays.fill(keyBytes, (byte) 0);
            keyBytes = null;
        }
        aeadAlgorithm = null;
    }

    /** The key bytes of the current initialisation (not a copy: do not modify). */
    final byte[] currentKey() {
        return keyBytes;
    }

    /** The nonce of the current initialisation (not a copy), or null. */
    final byte[] currentNonce() {
        return nonce;
    }

    static SecureRandom defaultRandom() {
        SecureRandom r = defaultRandom;
        if (r == null) {
            synchronized (AeadCipherSpi.class) {
                r = defaultRandom;
                if (r == null) {
                    r = new SecureRandom();
                    defaultRandom = r;
                }
            }
        }
        return r;
    }

    static byte[] randomNonce() {
        byte[] n = new byte[NONCE_LEN];
        defaultRandom().nextBytes(n);
        return n;
    }

    // ---- queries ----

    @Override
    protected int engineGetOutputSize(int inputLen) {
        long total = (long) dataLen + Math.max(0, inputLen);
        long out = encrypting ? total + TAG_LEN : Math.max(0, total - TAG_LEN);
        return (int) Math.min(Integer.MAX_VALUE, out);
    }

    @Override
    protected byte[] engineGetIV() {
        return nonce == null ? null : nonce.clone();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        // As SunJCE: before init, parameters with a fresh random nonce.
        return parameters(nonce == null ? randomNonce() : nonce);
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        throw new NoSuchAlgorithmException("mode is fixed for " + algorithmName() + ": " + mode);
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException(algorithmName() + " supports NoPadding only, not " + padding);
        }
    }

    @Override
    protected int engineGetKeySize(Key key) throws InvalidKeyException {
        if (key == null) {
            throw new InvalidKeyException("The key must not be null");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException("Key encoding must not be null");
        }
        try {
            checkKey(key, encoded);
            return encoded.length * 8;
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    // ---- AAD and update: buffered ----

    private void checkState() {
        if (!initialized) {
            throw new IllegalStateException("Cipher not initialized");
        }
        if (needsReinit) {
            throw new IllegalStateException(reinitMessage());
        }
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        checkState();
        if (dataStarted) {
            throw new IllegalStateException(aadAfterDataMessage());
        }
        Objects.checkFromIndexSize(offset, len, src == null ? 0 : src.length);
        if (len == 0) {
            return;
        }
        ensureAad(len);
        System.arraycopy(src, offset, aadBuf, aadLen, len);
        aadLen += len;
    }

    @Override
    protected void engineUpdateAAD(ByteBuffer src) {
        checkState();
        if (dataStarted) {
            throw new IllegalStateException(aadAfterDataMessage());
        }
        int len = src.remaining();
        if (len == 0) {
            return;
        }
        ensureAad(len);
        src.get(aadBuf, aadLen, len);
        aadLen += len;
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        checkState();
        buffer(input, inputOffset, inputLen);
        return EMPTY;
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
        checkState();
        buffer(input, inputOffset, inputLen);
        return 0;
    }

    @Override
    protected int engineUpdate(ByteBuffer input, ByteBuffer output) {
        checkState();
        int len = input.remaining();
        if (len > 0) {
            ensureData(len);
            input.get(dataBuf, dataLen, len);
            dataLen += len;
            dataStarted = true;
        }
        return 0;
    }

    private void buffer(byte[] input, int off, int len) {
        if (len <= 0 || input == null) {
            return;
        }
        Objects.checkFromIndexSize(off, len, input.length);
        ensureData(len);
        System.arraycopy(input, off, dataBuf, dataLen, len);
        dataLen += len;
        dataStarted = true;
    }

    private void ensureAad(int more) {
        int need = checkedSum(aadLen, more);
        if (need > aadBuf.length) {
            aadBuf = Arrays.copyOf(aadBuf, grow(aadBuf.length, need));
        }
    }

    private void ensureData(int more) {
        int need = checkedSum(dataLen, more);
        if (need > dataBuf.length) {
            byte[] bigger = Arrays.copyOf(dataBuf, grow(dataBuf.length, need));
            Arrays.fill(dataBuf, 0, dataLen, (byte) 0);
            dataBuf = bigger;
            dataView = null;
        }
    }

    private static int checkedSum(int have, int more) {
        long need = (long) have + more;
        if (need > MAX_MESSAGE) {
            throw new ProviderException("message too long: more than " + MAX_MESSAGE + " bytes");
        }
        return (int) need;
    }

    private static int grow(int capacity, int need) {
        long c = Math.max(64, Math.max(need, 2L * capacity));
        return (int) Math.min(c, MAX_MESSAGE);
    }

    // ---- doFinal ----

    /** The output length for {@code total} input bytes; a too short ciphertext is a bad tag. */
    private int outputLength(long total) throws AEADBadTagException {
        if (encrypting) {
            if (total > MAX_MESSAGE - TAG_LEN) {
                throw new ProviderException("message too long: more than " + (MAX_MESSAGE - TAG_LEN) + " bytes");
            }
            return (int) total + TAG_LEN;
        }
        if (total < TAG_LEN) {
            endMessage();
            throw new AEADBadTagException("Input data too short to contain an expected tag length of "
                    + TAG_LEN + "bytes");
        }
        if (total > MAX_MESSAGE) {
            throw new ProviderException("message too long: more than " + MAX_MESSAGE + " bytes");
        }
        return (int) total - TAG_LEN;
    }

    private static ShortBufferException shortBuffer(int need) {
        return new ShortBufferException("Output buffer too small, must be at least " + need + " bytes long");
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        checkState();
        if (input == null) {
            input = EMPTY;
            inputOffset = 0;
            inputLen = 0;
        }
        Objects.checkFromIndexSize(inputOffset, inputLen, input.length);
        byte[] out = new byte[outputLength((long) dataLen + inputLen)];
        try {
            run(input, inputOffset, inputLen, out, 0);
        } catch (ShortBufferException e) {
            throw new ProviderException(e); // cannot happen: out has the exact size
        }
        return out;
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        checkState();
        if (input == null) {
            input = EMPTY;
            inputOffset = 0;
            inputLen = 0;
        }
        Objects.checkFromIndexSize(inputOffset, inputLen, input.length);
        Objects.requireNonNull(output, "output");
        return run(input, inputOffset, inputLen, output, outputOffset);
    }

    /** One message over arrays; state is kept on ShortBufferException so the caller can retry. */
    private int run(byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws ShortBufferException, AEADBadTagException {
        long total = (long) dataLen + inLen;
        int outLen = outputLength(total);
        if (outOff < 0 || outOff > out.length || out.length - outOff < outLen) {
            throw shortBuffer(outLen);
        }
        byte[] src;
        int srcOff;
        if (dataLen == 0 && !partialOverlap(in, inOff, inLen, out, outOff, outLen)) {
            src = in;
            srcOff = inOff;
        } else {
            // Earlier updates, or input and output overlapping without being the same region:
            // gather the whole message in the private buffer first.
            buffer(in, inOff, inLen);
            src = dataBuf;
            srcOff = 0;
        }
        try {
            return encrypting
                    ? aead.seal(nonce, aadBuf, 0, aadLen, src, srcOff, (int) total, out, outOff)
                    : aead.open(nonce, aadBuf, 0, aadLen, src, srcOff, (int) total, out, outOff);
        } finally {
            endMessage();
        }
    }

    private static boolean partialOverlap(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        // The engine's own rule (empty regions included), so what passes here passes there.
        return in == out && inOff != outOff && inOff < outOff + outLen && outOff < inOff + inLen;
    }

    @Override
    protected int engineDoFinal(ByteBuffer input, ByteBuffer output)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        checkState();
        int inLen = input.remaining();
        long total = (long) dataLen + inLen;
        int outLen = outputLength(total);
        if (output.remaining() < outLen) {
            throw shortBuffer(outLen);
        }
        if (input.hasArray() && output.hasArray()) {
            int inPos = input.position();
            int outPos = output.position();
            int n = run(input.array(), input.arrayOffset() + inPos, inLen,
                    output.array(), output.arrayOffset() + outPos);
            input.position(inPos + inLen);
            output.position(outPos + n);
            return n;
        }
        if (dataLen == 0) {
            // The usual case for direct buffers: straight to the engine, no copy.
            // (Direct buffers expose no address, so partially overlapping direct input and
            // output cannot be detected; identical regions, in place, are fine.)
            byte[] aad = exactAad();
            try {
                return encrypting ? aead.seal(nonce, aad, input, output) : aead.open(nonce, aad, input, output);
            } finally {
                endMessage();
            }
        }
        if (inLen > 0) {
            ensureData(inLen);
            input.get(dataBuf, dataLen, inLen);
            dataLen += inLen;
        }
        try {
            if (output.hasArray()) {
                int outPos = output.position();
                byte[] out = output.array();
                int outOff = output.arrayOffset() + outPos;
                int n = encrypting
                        ? aead.seal(nonce, aadBuf, 0, aadLen, dataBuf, 0, dataLen, out, outOff)
                        : aead.open(nonce, aadBuf, 0, aadLen, dataBuf, 0, dataLen, out, outOff);
                output.position(outPos + n);
                return n;
            }
            ByteBuffer src = dataView();
            byte[] aad = exactAad();
            return encrypting ? aead.seal(nonce, aad, src, output) : aead.open(nonce, aad, src, output);
        } finally {
            endMessage();
        }
    }

    /** The AAD as an array of exactly its length (the ByteBuffer engine calls take whole arrays). */
    private byte[] exactAad() {
        if (aadLen == 0) {
            return EMPTY;
        }
        if (aadExact.length != aadLen) {
            aadExact = new byte[aadLen];
        }
        System.arraycopy(aadBuf, 0, aadExact, 0, aadLen);
        return aadExact;
    }

    private ByteBuffer dataView() {
        if (dataView == null) {
            dataView = ByteBuffer.wrap(dataBuf);
        }
        dataView.limit(dataLen).position(0);
        return dataView;
    }

    /** Ends the message: buffers cleared; after an encryption, re-init is required. */
    private void endMessage() {
        if (encrypting) {
            needsReinit = true;
        }
        clearMessage();
    }

    private void clearMessage() {
        Arrays.fill(dataBuf, 0, dataLen, (byte) 0);
        if (dataBuf.length > KEEP_LIMIT) {
            dataBuf = EMPTY;
            dataView = null;
        }
        if (aadBuf.length > KEEP_LIMIT) {
            aadBuf = EMPTY;
        }
        dataLen = 0;
        aadLen = 0;
        dataStarted = false;
    }

    // ---- key wrapping (AES-GCM only, as SunJCE) ----

    @Override
    protected byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
        if (!wrapSupported()) {
            throw new UnsupportedOperationException("WRAP_MODE and UNWRAP_MODE are not currently supported");
        }
        byte[] encoded = key == null ? null : key.getEncoded();
        if (encoded == null || encoded.length == 0) {
            throw new InvalidKeyException("Cannot get an encoding of the key to be wrapped");
        }
        try {
            return engineDoFinal(encoded, 0, encoded.length);
        } catch (BadPaddingException e) {
            throw new ProviderException(e); // not for encryption
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    @Override
    protected Key engineUnwrap(byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
            throws InvalidKeyException, NoSuchAlgorithmException {
        if (!wrapSupported()) {
            throw new UnsupportedOperationException("WRAP_MODE and UNWRAP_MODE are not currently supported");
        }
        byte[] encoded;
        try {
            encoded = engineDoFinal(wrappedKey, 0, wrappedKey.length);
        } catch (IllegalBlockSizeException | BadPaddingException e) {
            throw new InvalidKeyException("The wrapped key could not be unwrapped", e);
        }
        try {
            switch (wrappedKeyType) {
                case Cipher.SECRET_KEY:
                    return new SecretKeySpec(encoded, wrappedKeyAlgorithm);
                case Cipher.PUBLIC_KEY:
                    return KeyFactory.getInstance(wrappedKeyAlgorithm).generatePublic(new X509EncodedKeySpec(encoded));
                case Cipher.PRIVATE_KEY:
                    return KeyFactory.getInstance(wrappedKeyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
                default:
                    throw new InvalidKeyException("Unknown key type " + wrappedKeyType);
            }
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException("The unwrapped key is not a valid " + wrappedKeyAlgorithm + " key", e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** Zeroes the key, the engine context and all buffers; the cipher must be re-initialised. */
    final void wipe() {
        dropKey();
        wipeReuseState();
        clearMessage();
        initialized = false;
        nonce = null;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + algorithmName() + ", "
                + (aead == null ? backend.name() : aead.implementation())
                + (initialized ? (encrypting ? ", encrypt]" : ", decrypt]") : ", not initialized]");
    }
}
