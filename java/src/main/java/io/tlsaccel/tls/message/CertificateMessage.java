package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.List;

/** Certificate (RFC 8446 4.4.2): request context and a list of DER certificates with extensions. */
public record CertificateMessage(byte[] requestContext, List<byte[]> certificates) {

    public static CertificateMessage decode(TlsReader r) throws TlsAlertException {
        byte[] ctx = r.u8PrefixedBytes();
        TlsReader list = r.u24Prefixed();
        r.expectEnd();
        List<byte[]> certs = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] der = list.u24PrefixedBytes();
            if (der.length == 0) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty cert_data");
            }
            // Per-certificate extensions (status_request, SCT): parsed for bounds, ignored.
            Extension.decodeBody(list.u16Prefixed());
            certs.add(der);
        }
        return new CertificateMessage(ctx, certs);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(4096);
        int m = Handshake.begin(w, HandshakeType.CERTIFICATE);
        w.u8Prefixed(requestContext);
        int l = w.beginU24();
        for (byte[] der : certificates) {
            w.u24Prefixed(der);
            w.u16(0);
        }
        w.end(l);
        w.end(m);
        return w.toByteArray();
    }
}
