package io.tlsaccel.tls.message;

import java.util.List;

/** EncryptedExtensions (RFC 8446 4.3.1). */
public record EncryptedExtensions(List<Extension> extensions) {
    public static EncryptedExtensions decode(TlsReader r) throws TlsAlertException {
        TlsReader body = r.u16Prefixed();
        r.expectEnd();
        return new EncryptedExtensions(Extension.decodeBody(body));
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter();
        int m = Handshake.begin(w, HandshakeType.ENCRYPTED_EXTENSIONS);
        Extension.encodeList(w, extensions);
        w.end(m);
        return w.toByteArray();
    }
}
