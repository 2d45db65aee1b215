package io.tlsaccel.tls.handshake;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * RFC 8446 4.1.3: a server that supports TLS 1.3 but negotiates an older version writes a
 * fixed mark into the last 8 bytes of ServerHello.random; a client that offered TLS 1.3 and
 * sees the mark knows someone removed TLS 1.3 from its ClientHello.
 */
final class DowngradeSentinel {
    /** "DOWNGRD" then 01: the server negotiated TLS 1.2. */
    private static final byte[] TLS12 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
    /** "DOWNGRD" then 00: the server negotiated TLS 1.1 or below. */
    private static final byte[] TLS11 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};
    private static final int OFFSET = 24;

    private DowngradeSentinel() {
    }

    /** Server: marks a 32-byte ServerHello.random for a TLS 1.2 handshake. */
    static void markTls12(byte[] serverRandom) {
        System.arraycopy(TLS12, 0, serverRandom, OFFSET, TLS12.length);
    }

    /** Client that offered TLS 1.3: a marked random is illegal_parameter. */
    static void check(byte[] serverRandom) throws TlsAlertException {
        byte[] tail = Arrays.copyOfRange(serverRandom, OFFSET, OFFSET + TLS12.length);
        if (MessageDigest.isEqual(tail, TLS12) || MessageDigest.isEqual(tail, TLS11)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "downgrade sentinel in ServerHello.random");
        }
    }
}
