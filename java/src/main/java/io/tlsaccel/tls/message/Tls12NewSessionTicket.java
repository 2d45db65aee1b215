package io.tlsaccel.tls.message;

/** NewSessionTicket of TLS 1.2 (RFC 5077 3.3): a lifetime hint and the ticket. */
public record Tls12NewSessionTicket(long lifetimeHint, byte[] ticket) {

    public static Tls12NewSessionTicket decode(TlsReader r) throws TlsAlertException {
        long hint = r.u32();
        byte[] ticket = r.u16PrefixedBytes();
        r.expectEnd();
        return new Tls12NewSessionTicket(hint, ticket);
    }

    /** The whole message, header included. */
    public byte[] encode() {
        TlsWriter w = new TlsWriter(10 + ticket.length);
        int body = Handshake.begin(w, HandshakeType.NEW_SESSION_TICKET);
        w.u32(lifetimeHint).u16Prefixed(ticket);
        w.end(body);
        return w.toByteArray();
    }
}
