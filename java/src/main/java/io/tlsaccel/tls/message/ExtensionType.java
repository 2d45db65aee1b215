package io.tlsaccel.tls.message;

import static io.tlsaccel.tls.message.ExtensionContext.CERTIFICATE;
import static io.tlsaccel.tls.message.ExtensionContext.CERTIFICATE_REQUEST;
import static io.tlsaccel.tls.message.ExtensionContext.CLIENT_HELLO;
import static io.tlsaccel.tls.message.ExtensionContext.ENCRYPTED_EXTENSIONS;
import static io.tlsaccel.tls.message.ExtensionContext.HELLO_RETRY_REQUEST;
import static io.tlsaccel.tls.message.ExtensionContext.NEW_SESSION_TICKET;
import static io.tlsaccel.tls.message.ExtensionContext.SERVER_HELLO;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
    /** TLS 1.2 session tickets (RFC 5077 3.2). */
    public static final int SESSION_TICKET = 35;
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

    /** RFC 8446 4.2: the TLS 1.3 messages each extension we know may appear in. */
    private static final Map<Integer, Set<ExtensionContext>> ALLOWED_IN = new HashMap<>();

    static {
        allow(SERVER_NAME, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(MAX_FRAGMENT_LENGTH, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(STATUS_REQUEST, CLIENT_HELLO, CERTIFICATE_REQUEST, CERTIFICATE);
        allow(SUPPORTED_GROUPS, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(SIGNATURE_ALGORITHMS, CLIENT_HELLO, CERTIFICATE_REQUEST);
        allow(USE_SRTP, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(HEARTBEAT, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(ALPN, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(SIGNED_CERTIFICATE_TIMESTAMP, CLIENT_HELLO, CERTIFICATE_REQUEST, CERTIFICATE);
        allow(CLIENT_CERTIFICATE_TYPE, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(SERVER_CERTIFICATE_TYPE, CLIENT_HELLO, ENCRYPTED_EXTENSIONS);
        allow(PADDING, CLIENT_HELLO);
        allow(KEY_SHARE, CLIENT_HELLO, SERVER_HELLO, HELLO_RETRY_REQUEST);
        allow(PRE_SHARED_KEY, CLIENT_HELLO, SERVER_HELLO);
        allow(PSK_KEY_EXCHANGE_MODES, CLIENT_HELLO);
        allow(EARLY_DATA, CLIENT_HELLO, ENCRYPTED_EXTENSIONS, NEW_SESSION_TICKET);
        allow(COOKIE, CLIENT_HELLO, HELLO_RETRY_REQUEST);
        allow(SUPPORTED_VERSIONS, CLIENT_HELLO, SERVER_HELLO, HELLO_RETRY_REQUEST);
        allow(CERTIFICATE_AUTHORITIES, CLIENT_HELLO, CERTIFICATE_REQUEST);
        allow(OID_FILTERS, CERTIFICATE_REQUEST);
        allow(POST_HANDSHAKE_AUTH, CLIENT_HELLO);
        allow(SIGNATURE_ALGORITHMS_CERT, CLIENT_HELLO, CERTIFICATE_REQUEST);
    }

    private ExtensionType() {
    }

    private static void allow(int type, ExtensionContext first, ExtensionContext... rest) {
        ALLOWED_IN.put(type, Collections.unmodifiableSet(EnumSet.of(first, rest)));
    }

    /** The TLS 1.3 messages {@code type} may appear in (RFC 8446 4.2), or null for a type TLS 1.3 does not define. */
    public static Set<ExtensionContext> allowedIn(int type) {
        return ALLOWED_IN.get(type);
    }
}
