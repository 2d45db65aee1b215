package io.tlsaccel.tls.message;

/**
 * ServerKeyExchange for ECDHE_ECDSA and ECDHE_RSA (RFC 8422 5.4):
 * <pre>
 *   struct { ECCurveType curve_type; NamedCurve namedcurve; } ECParameters;   (named_curve only)
 *   struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;  ECPoint = opaque point&lt;1..2^8-1&gt;
 *   struct { ServerECDHParams params; digitally-signed Signature signed_params; } ServerKeyExchange;
 * </pre>
 * with digitally-signed = SignatureAndHashAlgorithm (u16) + opaque signature&lt;0..2^16-1&gt;
 * (RFC 5246 4.7). The signature covers {@link #signedParams(byte[], byte[])}.
 */
public record EcdheServerKeyExchange(int namedGroup, byte[] publicPoint, int signatureScheme, byte[] signature) {
    /** ECCurveType named_curve (RFC 8422 5.4); the explicit curve types are deprecated there. */
    public static final int NAMED_CURVE = 3;
    /** The length of ClientHello.random and ServerHello.random (RFC 5246 7.4.1.2). */
    public static final int RANDOM_LENGTH = 32;

    public static EcdheServerKeyExchange decode(TlsReader r) throws TlsAlertException {
        int curveType = r.u8();
        if (curveType != NAMED_CURVE) {
            // RFC 8422 5.4: explicit_prime and explicit_char2 MUST NOT be used.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    "ServerKeyExchange curve_type " + curveType + " is not named_curve");
        }
        int group = r.u16();
        byte[] point = r.u8PrefixedBytes();
        if (point.length == 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty ECPoint in ServerKeyExchange");
        }
        int scheme = r.u16();
        byte[] sig = r.u16PrefixedBytes();
        r.expectEnd();
        return new EcdheServerKeyExchange(group, point, scheme, sig);
    }

    /** ServerECDHParams as the signature covers it. */
    public byte[] params() {
        return encodeParams(namedGroup, publicPoint);
    }

    /** ServerECDHParams: named_curve, the group, the u8-prefixed point. */
    public static byte[] encodeParams(int namedGroup, byte[] publicPoint) {
        if (publicPoint.length == 0) {
            throw new IllegalArgumentException("empty ECPoint");
        }
        TlsWriter w = new TlsWriter(4 + publicPoint.length);
        w.u8(NAMED_CURVE).u16(namedGroup).u8Prefixed(publicPoint);
        return w.toByteArray();
    }

    /** The bytes signed by the server: client_random + server_random + params (RFC 8422 5.4). */
    public byte[] signedParams(byte[] clientRandom, byte[] serverRandom) {
        return signedParams(clientRandom, serverRandom, params());
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(16 + publicPoint.length + signature.length);
        int m = Handshake.begin(w, HandshakeType.SERVER_KEY_EXCHANGE);
        w.bytes(params());
        w.u16(signatureScheme).u16Prefixed(signature);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "EcdheServerKeyExchange[group=0x" + Integer.toHexString(namedGroup) + ", point=" + publicPoint.length
                + " bytes, scheme=0x" + Integer.toHexString(signatureScheme) + ", signature=" + signature.length
                + " bytes]";
    }

    /**
     * The input of the ServerKeyExchange signature (RFC 5246 7.4.3, RFC 8422 5.4):
     * ClientHello.random + ServerHello.random + ServerKeyExchange.params.
     */
    public static byte[] signedParams(byte[] clientRandom, byte[] serverRandom, byte[] params) {
        if (clientRandom.length != RANDOM_LENGTH || serverRandom.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("hello randoms are 32 bytes");
        }
        byte[] out = new byte[2 * RANDOM_LENGTH + params.length];
        System.arraycopy(clientRandom, 0, out, 0, RANDOM_LENGTH);
        System.arraycopy(serverRandom, 0, out, RANDOM_LENGTH, RANDOM_LENGTH);
        System.arraycopy(params, 0, out, 2 * RANDOM_LENGTH, params.length);
        return out;
    }
}
