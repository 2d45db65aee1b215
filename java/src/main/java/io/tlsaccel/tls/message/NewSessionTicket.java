package io.tlsaccel.tls.message;

import java.util.List;

/** NewSessionTicket (RFC 8446 4.6.1). */
public record NewSessionTicket(long lifetime, long ageAdd, byte[] nonce, byte[] ticket, List<Extension> extensions) {
    public static NewSessionTicket decode(TlsReader r) throws TlsAlertException {
        long lifetime = r.u32();
        long ageAdd = r.u32();
        byte[] nonce = r.u8PrefixedBytes();
        byte[] ticket = r.u16PrefixedBytes();
        if (ticket.length == 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "empty ticket");
        }
        List<Extension> exts = Extension.decodeBody(r.u16Prefixed());
        r.expectEnd();
        // 4.6.1: lifetime MUST NOT exceed 7 days.
        if (lifetime > 604800L) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "ticket lifetime over 7 days");
        }
        return new NewSessionTicket(lifetime, ageAdd, nonce, ticket, exts);
    }

    /** The whole message, header included. */
    public byte[] encode() {
        TlsWriter w = new TlsWriter(16 + nonce.length + ticket.length);
        int body = Handshake.begin(w, HandshakeType.NEW_SESSION_TICKET);
        w.u32(lifetime).u32(ageAdd).u8Prefixed(nonce).u16Prefixed(ticket);
        Extension.encodeList(w, extensions);
        w.end(body);
        return w.toByteArray();
    }
}
