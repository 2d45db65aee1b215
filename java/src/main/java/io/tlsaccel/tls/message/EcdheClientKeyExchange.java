package io.tlsaccel.tls.message;

/**
 * ClientKeyExchange for ECDHE (RFC 8422 5.7): ClientECDiffieHellmanPublic, an ECPoint
 * {@code opaque point<1..2^8-1>} (the "implicit" form belongs to fixed-ECDH client
 * certificates, which we do not support).
 */
public record EcdheClientKeyExchange(byte[] publicPoint) {

    public static EcdheClientKeyExchange decode(TlsReader r) throws TlsAlertException {
        byte[] point = r.u8PrefixedBytes();
        if (point.length == 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty ECPoint in ClientKeyExchange");
        }
        r.expectEnd();
        return new EcdheClientKeyExchange(point);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(8 + publicPoint.length);
        int m = Handshake.begin(w, HandshakeType.CLIENT_KEY_EXCHANGE);
        w.u8Prefixed(publicPoint);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "EcdheClientKeyExchange[" + publicPoint.length + " bytes]";
    }
}
