package io.tlsaccel.tls.engine;

/**
 * Sees a handshake as it happens: each message sent or received and the decisions made
 * (groups, certificates accepted, signatures verified, keys changed). For tools that show
 * the handshake to a person ({@code client -v}, {@code demo}); called on the thread that
 * drives the engine, so keep it quick. Never given secrets.
 */
public interface HandshakeObserver {

    /** A handshake message of {@code length} bytes (header included) left or arrived. */
    void message(boolean outbound, int type, int length);

    /** Anything else worth showing, in words. */
    void event(String description);
}
