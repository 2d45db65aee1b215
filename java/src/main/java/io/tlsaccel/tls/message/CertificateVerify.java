package io.tlsaccel.tls.message;

/** CertificateVerify (RFC 8446 4.4.3). */
public record CertificateVerify(int algorithm, byte[] signature) {
    public static CertificateVerify decode(TlsReader r) throws TlsAlertException {
        int alg = r.u16();
        byte[] sig = r.u16PrefixedBytes();
        r.expectEnd();
        return new CertificateVerify(alg, sig);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(signature.length + 8);
        int m = Handshake.begin(w, HandshakeType.CERTIFICATE_VERIFY);
        w.u16(algorithm).u16Prefixed(signature);
        w.end(m);
        return w.toByteArray();
    }
}
