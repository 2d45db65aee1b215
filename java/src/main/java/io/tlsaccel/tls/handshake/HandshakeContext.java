package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.session.ClientTicket;
import io.tlsaccel.tls.session.ResumptionState;
import io.tlsaccel.tls.ticket.TicketKeys;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls12CipherSuite;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a handshake state machine needs from the connection around it (the engine): output
 * in order (messages, CCS, key changes), managers, and the handshake session to fill.
 * Keys are handed over as key + IV arrays which the receiver zeroes after use.
 */
public interface HandshakeContext {
    SecureRandom random();

    /** May be null (no credentials). */
    X509ExtendedKeyManager keyManager();

    X509TrustManager trustManager();

    SSLEngine engine();

    HandshakeConfig config();

    // ---- output, applied in this order by the record layer ----

    void sendHandshake(byte[] message);

    void sendChangeCipherSpec();

    /** Records written after this point use the new keys. */
    void changeWriteKeys(Tls13CipherSuite suite, byte[] key, byte[] iv, boolean application);

    /**
     * Records read from now on use the new keys. Fails (unexpected_message) if part of a
     * handshake message is still buffered: 5.1 forbids messages spanning a key change.
     */
    void changeReadKeys(Tls13CipherSuite suite, byte[] key, byte[] iv, boolean application) throws TlsAlertException;

    /** TLS 1.2: records written after this point are protected with this key and fixed IV (zeroed by the receiver). */
    default void changeWriteKeys12(AeadAlgorithm aead, byte[] key, byte[] fixedIv) {
        throw new UnsupportedOperationException("TLS 1.2");
    }

    /** TLS 1.2: records read from now on (after the peer's ChangeCipherSpec) use this key. */
    default void changeReadKeys12(AeadAlgorithm aead, byte[] key, byte[] fixedIv) throws TlsAlertException {
        throw new UnsupportedOperationException("TLS 1.2");
    }

    /** Version negotiation chose TLS 1.2: from now on the engine feeds {@code next}. */
    default void switchTo(TlsHandshake next) {
        throw new UnsupportedOperationException("TLS 1.2");
    }

    // ---- the handshake session ----

    /** TLS 1.2 was negotiated with this suite. */
    default void negotiated12(Tls12CipherSuite suite) {
    }

    void negotiated(Tls13CipherSuite suite);

    void peerCertificates(X509Certificate[] chain);

    void localCertificates(X509Certificate[] chain);

    void applicationProtocol(String protocol);

    void requestedServerNames(List<SNIServerName> names);

    void peerSignatureSchemes(int[] schemes);

    void localSignatureSchemes(int[] schemes);

    /**
     * Server: the client offered 0-RTT, which we never accept; its early data records must be
     * skipped (RFC 8446 4.2.10) until the first record that opens with the handshake keys.
     */
    void skipEarlyData();

    // ---- resumption (RFC 8446 2.2, 4.6.1; RFC 5077) ----

    /** Server: the keys tickets are sealed with, or null to issue and accept none. */
    default TicketKeys ticketKeys() {
        return null;
    }

    /** Server: how many NewSessionTickets to send after a TLS 1.3 handshake. */
    default int ticketCount() {
        return 0;
    }

    /** Server: the lifetime of the tickets issued, in seconds (at most 7 days). */
    default long ticketLifetimeSeconds() {
        return 0;
    }

    /** Server: the session with this ID was invalidated and must not be resumed. */
    default boolean invalidated(byte[] sessionId) {
        return false;
    }

    /** The ID of the session this handshake fills (put into tickets). */
    default byte[] sessionId() {
        return new byte[0];
    }

    /** Server: a TLS 1.2 session cached under this session ID (RFC 5246 7.3), or null. */
    default ResumptionState cachedSession(byte[] sessionId) {
        return null;
    }

    /** Server: caches a TLS 1.2 session under its ID for abbreviated handshakes. */
    default void cacheSession(byte[] sessionId, ResumptionState state) {
    }

    /** Client: a ticket for this peer to offer (taken: each is offered once), or null. */
    default ClientTicket takeTicket() {
        return null;
    }

    /** Client: a ticket the server sent for later connections. */
    default void storeTicket(ClientTicket ticket) {
    }

    /** TLS 1.2 client: the server named the session with this ID (RFC 5246 7.4.1.3). */
    default void serverSessionId(byte[] sessionId) {
    }

    /** This handshake resumed the session with this ID: it shows the original peer certificates (null: none). */
    default void resumed(byte[] sessionId, X509Certificate[] peerChain) {
    }

    /**
     * RFC 8446 4.6.3: whether to answer a KeyUpdate(update_requested) now: not once our side
     * has closed (nothing may follow close_notify), and not while our previous KeyUpdate is
     * still waiting to be sent (it answers this request too).
     */
    default boolean mayAnswerKeyUpdate() {
        return true;
    }

    /** A step worth showing to someone watching the handshake (`client -v`, `demo`). */
    default void trace(String event) {
    }

    /** Both Finished messages are done: application data may flow. */
    void handshakeComplete();
}
