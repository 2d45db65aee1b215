package io.tlsaccel.tls.message;

/**
 * renegotiation_info (RFC 5746 3.2): {@code opaque renegotiated_connection<0..255>}. On an
 * initial handshake it is empty; on a renegotiation it carries client_verify_data (client)
 * or client_verify_data + server_verify_data (server).
 */
public final class RenegotiationInfo {
    private RenegotiationInfo() {
    }

    /** The extension_data carrying {@code renegotiatedConnection}. */
    public static byte[] encode(byte[] renegotiatedConnection) {
        TlsWriter w = new TlsWriter(1 + renegotiatedConnection.length);
        w.u8Prefixed(renegotiatedConnection);
        return w.toByteArray();
    }

    /** The extension for an initial handshake (an empty renegotiated_connection). */
    public static Extension initial() {
        return new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0});
    }

    /** renegotiated_connection from extension_data; anything but one u8 vector is decode_error. */
    public static byte[] decode(byte[] extensionData) throws TlsAlertException {
        TlsReader r = new TlsReader(extensionData);
        byte[] value = r.u8PrefixedBytes();
        r.expectEnd();
        return value;
    }

    /**
     * For an initial handshake: the peer's renegotiated_connection must be empty
     * (RFC 5746 3.4 client side, 3.6 server side), else handshake_failure.
     */
    public static void checkInitial(byte[] extensionData) throws TlsAlertException {
        if (decode(extensionData).length != 0) {
            throw new TlsAlertException(AlertDescription.HANDSHAKE_FAILURE,
                    "renegotiation_info not empty on an initial handshake");
        }
    }
}
