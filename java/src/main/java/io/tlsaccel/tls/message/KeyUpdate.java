package io.tlsaccel.tls.message;

/** KeyUpdate (RFC 8446 4.6.3). */
public record KeyUpdate(boolean updateRequested) {
    public static KeyUpdate decode(TlsReader r) throws TlsAlertException {
        int v = r.u8();
        r.expectEnd();
        if (v != 0 && v != 1) {
            // 4.6.3: any other value is an illegal_parameter.
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "bad KeyUpdateRequest " + v);
        }
        return new KeyUpdate(v == 1);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(5);
        int m = Handshake.begin(w, HandshakeType.KEY_UPDATE);
        w.u8(updateRequested ? 1 : 0);
        w.end(m);
        return w.toByteArray();
    }
}
