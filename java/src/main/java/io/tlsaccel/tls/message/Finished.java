package io.tlsaccel.tls.message;

/** Finished (RFC 8446 4.4.4); the verify_data length is the suite's hash length. */
public record Finished(byte[] verifyData) {
    public static Finished decode(TlsReader r, int hashLength) throws TlsAlertException {
        byte[] v = r.bytes(hashLength);
        r.expectEnd();
        return new Finished(v);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(verifyData.length + 4);
        int m = Handshake.begin(w, HandshakeType.FINISHED);
        w.bytes(verifyData);
        w.end(m);
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "Finished[" + verifyData.length + " bytes]";
    }
}
