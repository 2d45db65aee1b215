package io.tlsaccel.tls.session;

/**
 * A ticket a client holds for one server (RFC 8446 4.6.1): the opaque ticket to offer as a
 * PSK identity, and what the client knows of the session it resumes ({@code state}, whose
 * {@code createdMillis} is when the ticket arrived, as the ticket age is counted from then).
 * RFC 8446 C.4: offered once, then dropped.
 */
public record ClientTicket(byte[] ticket, ResumptionState state) {

    /** obfuscated_ticket_age (4.2.11.1): milliseconds since the ticket arrived, plus ticket_age_add, mod 2^32. */
    public long obfuscatedAge(long nowMillis) {
        return (nowMillis - state.createdMillis() + state.ageAdd()) & 0xffffffffL;
    }

    @Override
    public String toString() {
        return "ClientTicket[" + ticket.length + " bytes, " + state + "]";
    }
}
