package io.tlsaccel.tls.record;

import io.tlsaccel.crypto.AeadAlgorithm;

/**
 * The TLS 1.2 cipher suites this engine implements, in our default preference order: ECDHE
 * with ECDSA or RSA signatures over AES-GCM (RFC 5289) and ChaCha20-Poly1305 (RFC 7905), then
 * RSA key transport (RFC 5288), which has no forward secrecy and so comes last.
 */
public enum Tls12CipherSuite {
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xc02b, KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xc02c, KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xcca9, KeyExchange.ECDHE_ECDSA, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xc02f, KeyExchange.ECDHE_RSA, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xc030, KeyExchange.ECDHE_RSA, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xcca8, KeyExchange.ECDHE_RSA, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256),
    TLS_RSA_WITH_AES_128_GCM_SHA256(0x009c, KeyExchange.RSA, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256),
    TLS_RSA_WITH_AES_256_GCM_SHA384(0x009d, KeyExchange.RSA, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384);

    /** How the pre-master secret is agreed and how the server proves its identity. */
    public enum KeyExchange {
        /** RFC 8422: ephemeral ECDH, ServerKeyExchange signed with an ECDSA certificate key. */
        ECDHE_ECDSA("EC", "ECDHE_ECDSA"),
        /** RFC 8422: ephemeral ECDH, ServerKeyExchange signed with an RSA certificate key. */
        ECDHE_RSA("RSA", "ECDHE_RSA"),
        /** RFC 5246 7.4.7.1: the client encrypts the pre-master secret to the server's RSA key. */
        RSA("RSA", "RSA");

        private final String keyType;
        private final String authType;

        KeyExchange(String keyType, String authType) {
            this.keyType = keyType;
            this.authType = authType;
        }

        /** The certificate key type as JSSE key managers name it. */
        public String keyType() {
            return keyType;
        }

        /** The authType X509TrustManager.checkServerTrusted expects (JSSE standard names). */
        public String authType() {
            return authType;
        }

        public boolean ephemeral() {
            return this != RSA;
        }
    }

    private final int id;
    private final KeyExchange keyExchange;
    private final AeadAlgorithm aead;
    private final PrfHash prfHash;

    Tls12CipherSuite(int id, KeyExchange keyExchange, AeadAlgorithm aead, PrfHash prfHash) {
        this.id = id;
        this.keyExchange = keyExchange;
        this.aead = aead;
        this.prfHash = prfHash;
    }

    public int id() {
        return id;
    }

    public KeyExchange keyExchange() {
        return keyExchange;
    }

    public AeadAlgorithm aead() {
        return aead;
    }

    /** The PRF hash (RFC 5246 5; SHA-384 for the _SHA384 suites, RFC 5289 3.2). */
    public PrfHash prfHash() {
        return prfHash;
    }

    public static Tls12CipherSuite of(int id) {
        for (Tls12CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    public static Tls12CipherSuite ofName(String name) {
        for (Tls12CipherSuite s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
