package io.tlsaccel.tls.message;

/** Extension code points of both versions (RFC 8446 4.2, RFC 6066, RFC 7301, RFC 8422, RFC 7627, RFC 5746): the one list of them. */
public final class ExtensionType {
    public static final int SERVER_NAME = 0;
    public static final int MAX_FRAGMENT_LENGTH = 1;
    public static final int STATUS_REQUEST = 5;
    public static final int SUPPORTED_GROUPS = 10;
    /** TLS 1.2 ECDHE (RFC 8422 5.1.2). */
    public static final int EC_POINT_FORMATS = 11;
    public static final int SIGNATURE_ALGORITHMS = 13;
    public static final int USE_SRTP = 14;
    public static final int HEARTBEAT = 15;
    public static final int ALPN = 16;
    public static final int SIGNED_CERTIFICATE_TIMESTAMP = 18;
    public static final int CLIENT_CERTIFICATE_TYPE = 19;
    public static final int SERVER_CERTIFICATE_TYPE = 20;
    public static final int PADDING = 21;
    /** TLS 1.2 (RFC 7627 5.1). */
    public static final int EXTENDED_MASTER_SECRET = 23;
    public static final int PRE_SHARED_KEY = 41;
    public static final int EARLY_DATA = 42;
    public static final int SUPPORTED_VERSIONS = 43;
    public static final int COOKIE = 44;
    public static final int PSK_KEY_EXCHANGE_MODES = 45;
    public static final int CERTIFICATE_AUTHORITIES = 47;
    public static final int OID_FILTERS = 48;
    public static final int POST_HANDSHAKE_AUTH = 49;
    public static final int SIGNATURE_ALGORITHMS_CERT = 50;
    public static final int KEY_SHARE = 51;
    /** TLS 1.2 (RFC 5746 3.2). */
    public static final int RENEGOTIATION_INFO = 0xff01;

    private ExtensionType() {
    }
}
