package io.tlsaccel.tls.session;

import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.message.TlsReader;
import io.tlsaccel.tls.message.TlsWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a session needs to be resumed: the contents of a ticket the server seals (RFC 8446
 * 4.6.1, RFC 5077 4) and of a client's cache entry.
 *
 * @param version           0x0304 or 0x0303
 * @param suite             the cipher suite's code point (TLS 1.3: its hash must match on resumption)
 * @param secret            TLS 1.3: the resumption PSK (4.6.1); TLS 1.2: the master secret
 * @param createdMillis     when the ticket was issued (server clock) or received (client clock)
 * @param lifetimeSeconds   how long it may be used (at most 7 days, 4.6.1)
 * @param ageAdd            TLS 1.3 ticket_age_add
 * @param serverName        the SNI host name of the original connection, or "" if none
 * @param sessionId         the original session's ID (a server refuses tickets of sessions invalidated since)
 * @param peerCertificates  the peer's chain (DER, leaf first) as authenticated in the full handshake; may be empty
 */
public record ResumptionState(int version, int suite, byte[] secret, long createdMillis, long lifetimeSeconds,
                              long ageAdd, String serverName, byte[] sessionId, List<byte[]> peerCertificates) {

    private static final int FORMAT = 1;

    public boolean expired(long nowMillis) {
        return nowMillis - createdMillis >= lifetimeSeconds * 1000L || nowMillis < createdMillis - 60_000L;
    }

    /** The server name as the peer saw it: both absent, or equal ignoring case (RFC 6066 3). */
    public boolean sameServerName(String name) {
        return serverName.equalsIgnoreCase(name == null ? "" : name);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(128 + secret.length);
        w.u8(FORMAT).u16(version).u16(suite).u8Prefixed(secret);
        w.u32(createdMillis >>> 32).u32(createdMillis & 0xffffffffL).u32(lifetimeSeconds).u32(ageAdd);
        w.u16Prefixed(serverName.getBytes(StandardCharsets.US_ASCII)).u8Prefixed(sessionId);
        int certs = w.beginU24();
        for (byte[] c : peerCertificates) {
            w.u24Prefixed(c);
        }
        w.end(certs);
        return w.toByteArray();
    }

    /** Decodes what {@link #encode} wrote; anything else is an exception (the caller falls back to a full handshake). */
    public static ResumptionState decode(byte[] data) throws TlsAlertException {
        TlsReader r = new TlsReader(data);
        if (r.u8() != FORMAT) {
            throw new TlsAlertException(io.tlsaccel.tls.message.AlertDescription.DECODE_ERROR, "unknown ticket format");
        }
        int version = r.u16();
        int suite = r.u16();
        byte[] secret = r.u8PrefixedBytes();
        long created = (r.u32() << 32) | r.u32();
        long lifetime = r.u32();
        long ageAdd = r.u32();
        String sni = new String(r.u16PrefixedBytes(), StandardCharsets.US_ASCII);
        byte[] id = r.u8PrefixedBytes();
        TlsReader certs = r.u24Prefixed();
        List<byte[]> chain = new ArrayList<>();
        while (certs.hasRemaining()) {
            chain.add(certs.u24PrefixedBytes());
        }
        r.expectEnd();
        return new ResumptionState(version, suite, secret, created, lifetime, ageAdd, sni, id, List.copyOf(chain));
    }

    /** Wipes the secret; the state is useless afterwards. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "ResumptionState[version 0x" + Integer.toHexString(version) + ", suite 0x" + Integer.toHexString(suite)
                + ", server name '" + serverName + "', " + peerCertificates.size() + " peer certificates, secret redacted]";
    }
}
