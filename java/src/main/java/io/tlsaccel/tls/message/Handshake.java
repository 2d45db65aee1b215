package io.tlsaccel.tls.message;

/** Framing of handshake messages: {@code msg_type u8, length u24, body} (RFC 8446 4). */
public final class Handshake {
    /** Largest handshake message we accept (certificate chains included). */
    public static final int MAX_MESSAGE_LENGTH = 1 << 17;

    private Handshake() {
    }

    /** Starts a message: writes the type and opens the u24 length; close with {@code w.end(mark)}. */
    public static int begin(TlsWriter w, int type) {
        w.u8(type);
        return w.beginU24();
    }
}
