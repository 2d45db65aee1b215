package io.tlsaccel.tls.record;

/** The two PRF hashes of the TLS 1.2 AEAD suites (RFC 5246 5; RFC 5288 3 for SHA-384). */
public enum PrfHash {
    SHA256("HmacSHA256", "SHA-256", 32),
    SHA384("HmacSHA384", "SHA-384", 48);

    private final String macName;
    private final String digestName;
    private final int length;

    PrfHash(String macName, String digestName, int length) {
        this.macName = macName;
        this.digestName = digestName;
        this.length = length;
    }

    /** The JCA name of the HMAC. */
    public String macName() {
        return macName;
    }

    /** The JCA MessageDigest name (for the handshake hash). */
    public String digestName() {
        return digestName;
    }

    public int length() {
        return length;
    }
}
