package io.tlsaccel.tls.message;

/**
 * Cipher suite values that are signals, not suites: a client lists them in
 * ClientHello.cipher_suites, and no server ever selects them.
 */
public final class SignalingCipherSuite {
    /** RFC 5746 3.3: the client supports secure renegotiation (in place of the empty extension). */
    public static final int TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
    /** RFC 7507: the client is retrying with a lower version than it supports. */
    public static final int TLS_FALLBACK_SCSV = 0x5600;

    private SignalingCipherSuite() {
    }
}
