package io.tlsaccel.tls.message;

import java.util.ArrayList;
import java.util.List;

/**
 * TLS 1.2 Certificate (RFC 5246 7.4.2): {@code ASN.1Cert certificate_list<0..2^24-1>} with
 * {@code ASN.1Cert = opaque<1..2^24-1>}; no request context and no per-entry extensions
 * (those are TLS 1.3's, {@link CertificateMessage}). An empty list is a client with no
 * certificate (7.4.6).
 */
public record Tls12Certificate(List<byte[]> certificates) {

    public Tls12Certificate {
        certificates = List.copyOf(certificates);
    }

    public static Tls12Certificate decode(TlsReader r) throws TlsAlertException {
        TlsReader list = r.u24Prefixed();
        r.expectEnd();
        List<byte[]> certs = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] der = list.u24PrefixedBytes();
            if (der.length == 0) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty ASN.1Cert");
            }
            certs.add(der);
        }
        return new Tls12Certificate(certs);
    }

    public byte[] encode() {
        int size = 8;
        for (byte[] der : certificates) {
            size += 3 + der.length;
        }
        TlsWriter w = new TlsWriter(size);
        int m = Handshake.begin(w, HandshakeType.CERTIFICATE);
        int l = w.beginU24();
        for (byte[] der : certificates) {
            if (der.length == 0) {
                throw new IllegalArgumentException("empty certificate");
            }
            w.u24Prefixed(der);
        }
        w.end(l);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "Tls12Certificate[" + certificates.size() + " certificates]";
    }
}
