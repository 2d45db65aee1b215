package io.tlsaccel.tls.message;

/** ServerHelloDone (RFC 5246 7.4.5): {@code struct { } ServerHelloDone;} */
public final class ServerHelloDone {
    private ServerHelloDone() {
    }

    public static void decode(TlsReader r) throws TlsAlertException {
        r.expectEnd();
    }

    public static byte[] encode() {
        return new byte[] {HandshakeType.SERVER_HELLO_DONE, 0, 0, 0};
    }
}
