package io.tlsaccel.tls.message;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** ServerHello and HelloRetryRequest (RFC 8446 4.1.3, 4.1.4). */
public record ServerHello(int legacyVersion, byte[] random, byte[] legacySessionIdEcho, int cipherSuite,
                          int legacyCompressionMethod, List<Extension> extensions) {

    /** The special random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (4.1.3). */
    public static final byte[] HELLO_RETRY_REQUEST_RANDOM;

    static {
        try {
            HELLO_RETRY_REQUEST_RANDOM = MessageDigest.getInstance("SHA-256")
                    .digest("HelloRetryRequest".getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public boolean isHelloRetryRequest() {
        return MessageDigest.isEqual(random, HELLO_RETRY_REQUEST_RANDOM);
    }

    public static ServerHello decode(TlsReader r) throws TlsAlertException {
        int version = r.u16();
        byte[] random = r.bytes(32);
        byte[] sid = r.u8PrefixedBytes();
        if (sid.length > 32) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "legacy_session_id_echo longer than 32");
        }
        int suite = r.u16();
        int comp = r.u8();
        List<Extension> exts = Extension.decodeList(r);
        r.expectEnd();
        return new ServerHello(version, random, sid, suite, comp, exts);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter(256);
        int m = Handshake.begin(w, HandshakeType.SERVER_HELLO);
        w.u16(legacyVersion).bytes(random).u8Prefixed(legacySessionIdEcho).u16(cipherSuite).u8(legacyCompressionMethod);
        Extension.encodeList(w, extensions);
        w.end(m);
        return w.toByteArray();
    }

    public byte[] extension(int type) {
        return Extension.find(extensions, type);
    }
}
