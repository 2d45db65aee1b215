package io.tlsaccel.crypto;

/** The MACs the engine offers (the TLS handshake's HKDF, PRF and Finished need them). */
public enum MacAlgorithm {
    HMAC_SHA256("HmacSHA256", 1, 32, 64),
    HMAC_SHA384("HmacSHA384", 2, 48, 128);

    private final String jcaName;
    private final int nativeId;
    private final int macLength;
    private final int blockLength;

    MacAlgorithm(String jcaName, int nativeId, int macLength, int blockLength) {
        this.jcaName = jcaName;
        this.nativeId = nativeId;
        this.macLength = macLength;
        this.blockLength = blockLength;
    }

    public String jcaName() {
        return jcaName;
    }

    public int nativeId() {
        return nativeId;
    }

    public int macLength() {
        return macLength;
    }

    public int blockLength() {
        return blockLength;
    }
}
