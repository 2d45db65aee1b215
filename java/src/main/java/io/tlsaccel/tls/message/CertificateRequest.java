package io.tlsaccel.tls.message;

import java.util.List;

/** CertificateRequest (RFC 8446 4.3.2). */
public record CertificateRequest(byte[] requestContext, List<Extension> extensions) {
    public static CertificateRequest decode(TlsReader r) throws TlsAlertException {
        byte[] ctx = r.u8PrefixedBytes();
        List<Extension> exts = Extension.decodeBody(r.u16Prefixed());
        r.expectEnd();
        return new CertificateRequest(ctx, exts);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter();
        int m = Handshake.begin(w, HandshakeType.CERTIFICATE_REQUEST);
        w.u8Prefixed(requestContext);
        Extension.encodeList(w, extensions);
        w.end(m);
        return w.toByteArray();
    }
}
