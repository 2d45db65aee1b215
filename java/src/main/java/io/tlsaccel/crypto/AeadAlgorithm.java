package io.tlsaccel.crypto;

/** The AEAD algorithms the engine offers; all take a 96-bit nonce and give a 128-bit tag. */
public enum AeadAlgorithm {
    AES_128_GCM("AES-128-GCM", 1, 16),
    AES_256_GCM("AES-256-GCM", 2, 32),
    CHACHA20_POLY1305("ChaCha20-Poly1305", 3, 32);

    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private final String displayName;
    private final int nativeId;
    private final int keyLength;

    AeadAlgorithm(String displayName, int nativeId, int keyLength) {
        this.displayName = displayName;
        this.nativeId = nativeId;
        this.keyLength = keyLength;
    }

    public String displayName() {
        return displayName;
    }

    /** The TA_* constant of native/include/tlsaccel.h. */
    public int nativeId() {
        return nativeId;
    }

    public int keyLength() {
        return keyLength;
    }

    /** The AES-GCM algorithm for a key of this many bytes. */
    public static AeadAlgorithm aesGcmForKeyLength(int keyLength) {
        switch (keyLength) {
            case 16: return AES_128_GCM;
            case 32: return AES_256_GCM;
            default: throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, not " + keyLength);
        }
    }
}
