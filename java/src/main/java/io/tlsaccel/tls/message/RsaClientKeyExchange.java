package io.tlsaccel.tls.message;

/**
 * ClientKeyExchange for RSA key transport (RFC 5246 7.4.7.1): EncryptedPreMasterSecret,
 * {@code opaque<0..2^16-1>} with its 2-byte length (TLS 1.0 and later). Only the framing
 * is checked here; the contents go to {@code RsaPremasterSecret.decrypt}, which never
 * fails visibly.
 */
public record RsaClientKeyExchange(byte[] encryptedPreMasterSecret) {

    public static RsaClientKeyExchange decode(TlsReader r) throws TlsAlertException {
        byte[] ct = r.u16PrefixedBytes();
        r.expectEnd();
        return new RsaClientKeyExchange(ct);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(8 + encryptedPreMasterSecret.length);
        int m = Handshake.begin(w, HandshakeType.CLIENT_KEY_EXCHANGE);
        w.u16Prefixed(encryptedPreMasterSecret);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "RsaClientKeyExchange[" + encryptedPreMasterSecret.length + " bytes]";
    }
}
