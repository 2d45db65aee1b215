package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.TlsAlertException;

/**
 * One side of one handshake as the engine drives it, whatever the version. A TLS 1.3 machine
 * that meets a TLS 1.2 peer hands over to a TLS 1.2 machine
 * ({@link HandshakeContext#switchTo(TlsHandshake)}); from then on the engine feeds that one.
 */
public interface TlsHandshake {
    /** Client: sends the ClientHello. Server: nothing to do until it arrives. */
    void start() throws TlsAlertException;

    /** Handles one whole handshake message (header included). */
    void handle(byte[] message) throws TlsAlertException;

    /**
     * A ChangeCipherSpec record arrived on a message boundary. TLS 1.3 never gets here (the
     * engine drops its compatibility CCS); in TLS 1.2 it switches the read keys or is
     * unexpected_message.
     */
    void changeCipherSpec() throws TlsAlertException;

    boolean isComplete();

    /** 0x0304 or 0x0303 once known. */
    int version();

    /** After the handshake: TLS 1.3 sends a KeyUpdate; TLS 1.2 (no renegotiation) does nothing. */
    void sendKeyUpdate(boolean requestPeerUpdate);

    /** Wipes every secret still held. */
    void destroy();
}
