package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.MacAlgorithm;

/** The TLS 1.3 cipher suites (RFC 8446 B.4) this engine implements. */
public enum Tls13CipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, AeadAlgorithm.AES_128_GCM, "SHA-256", MacAlgorithm.HMAC_SHA256),
    TLS_AES_256_GCM_SHA384(0x1302, AeadAlgorithm.AES_256_GCM, "SHA-384", MacAlgorithm.HMAC_SHA384),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, AeadAlgorithm.CHACHA20_POLY1305, "SHA-256", MacAlgorithm.HMAC_SHA256);

    private final int id;
    private final AeadAlgorithm aead;
    private final String hashName;
    private final MacAlgorithm hmac;

    Tls13CipherSuite(int id, AeadAlgorithm aead, String hashName, MacAlgorithm hmac) {
        this.id = id;
        this.aead = aead;
        this.hashName = hashName;
        this.hmac = hmac;
    }

    public int id() {
        return id;
    }

    public AeadAlgorithm aead() {
        return aead;
    }

    /** The JCA MessageDigest name of the suite's hash. */
    public String hashName() {
        return hashName;
    }

    public MacAlgorithm hmac() {
        return hmac;
    }

    public int hashLength() {
        return hmac.macLength();
    }

    public int keyLength() {
        return aead.keyLength();
    }

    /**
     * Records one key may protect before a KeyUpdate (RFC 8446 5.5: AES-GCM up to 2^24.5 full
     * records; we rekey well before). ChaCha20-Poly1305 has no practical limit below 2^64.
     */
    public long recordLimit() {
        return aead == AeadAlgorithm.CHACHA20_POLY1305 ? Long.MAX_VALUE : 1L << 24;
    }

    public static Tls13CipherSuite of(int id) {
        for (Tls13CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    public static Tls13CipherSuite ofName(String name) {
        for (Tls13CipherSuite s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
